"""How graphic media are shown to one reviewer (pure, no Django).

For a category, the reviewer's own override wins when they set one; otherwise the category's preset
treatment (policies/wellness_presets.toml) applies where the reviewer's general switch is on, so a
reviewer can turn a treatment off everywhere, or choose per category.
"""

from __future__ import annotations

from dataclasses import dataclass

from shinsa.policy.schemas import WellnessPreset


@dataclass(frozen=True, kw_only=True, slots=True)
class TreatmentSwitches:
    blur: bool
    greyscale: bool
    mute: bool

    def any(self) -> bool:
        return self.blur or self.greyscale or self.mute


@dataclass(frozen=True, kw_only=True, slots=True)
class Treatment:
    blur: bool
    greyscale: bool
    mute: bool
    reveal_steps: int  # 0 when nothing is treated: the media shows clear at once


def effective_treatment(
    *, preset: WellnessPreset, general: TreatmentSwitches, override: TreatmentSwitches | None = None
) -> Treatment:
    """The treatment for media of ``preset``'s category, given the reviewer's switches and override."""
    chosen = override or TreatmentSwitches(
        blur=preset.blur and general.blur,
        greyscale=preset.greyscale and general.greyscale,
        mute=preset.mute and general.mute,
    )
    return Treatment(
        blur=chosen.blur,
        greyscale=chosen.greyscale,
        mute=chosen.mute,
        reveal_steps=max(preset.reveal_steps, 1) if chosen.any() else 0,
    )


def weighted_exposure_ms(duration_ms: int, preset: WellnessPreset) -> int:
    """How much of the daily budget ``duration_ms`` of this category uses."""
    return round(duration_ms * preset.exposure_weight)
