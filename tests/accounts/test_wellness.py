from shinsa.accounts.wellness import Treatment, TreatmentSwitches, effective_treatment, weighted_exposure_ms
from shinsa.policy.schemas import Bilingual, WellnessPreset

SEXUAL = WellnessPreset(
    id="sexual",
    name=Bilingual(ja="性的描写", en="Sexual content"),
    blur=True,
    greyscale=False,
    mute=True,
    reveal_steps=2,
    exposure_weight=1.5,
)
ALL_ON = TreatmentSwitches(blur=True, greyscale=True, mute=True)


def test_it_applies_the_preset_where_the_general_switches_are_on():
    assert effective_treatment(preset=SEXUAL, general=ALL_ON) == Treatment(
        blur=True, greyscale=False, mute=True, reveal_steps=2
    )


def test_it_lets_a_general_switch_turn_a_treatment_off():
    general = TreatmentSwitches(blur=True, greyscale=True, mute=False)
    assert effective_treatment(preset=SEXUAL, general=general).mute is False


def test_it_prefers_the_reviewers_override_for_the_category():
    override = TreatmentSwitches(blur=False, greyscale=True, mute=False)
    treatment = effective_treatment(preset=SEXUAL, general=ALL_ON, override=override)
    assert treatment == Treatment(blur=False, greyscale=True, mute=False, reveal_steps=2)


def test_it_needs_no_reveal_when_nothing_is_treated():
    none = TreatmentSwitches(blur=False, greyscale=False, mute=False)
    assert effective_treatment(preset=SEXUAL, general=none).reveal_steps == 0


def test_it_weights_exposure_by_category():
    assert weighted_exposure_ms(60_000, SEXUAL) == 90_000
