"""The demo catalog as plain data: fictional titles with Japanese and English metadata.

Pure (no Django). ``shinsa.demo.source`` turns it into media files and a manifest. A few items are
there for screening to find later: a mild English profanity in "Dust on Copper Ridge" subtitles, a
violent scene described in "The Iron Castle" (and a threat in the Japanese subtitle stream inside its
video), a horror title with a graphic scene.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

FILM = "film"
SERIES = "series"
SEASON = "season"
EPISODE = "episode"

PAL_RATE = Fraction(25)
FILM_RATE = Fraction(24000, 1001)


@dataclass(frozen=True)
class Metadata:
    language: str
    title: str
    synopsis: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class SubtitleTrack:
    language: str
    lines: tuple[str, ...]
    format: str = "srt"  # srt | vtt | ass
    encoding: str = "utf-8"  # the bytes on disk; only utf-8 and cp932 are used
    crlf: bool = False


@dataclass(frozen=True)
class Clip:
    scene_frames: tuple[int, ...]  # one entry per scene; a hard cut between each
    fps: Fraction = FILM_RATE
    captions: tuple[str, ...] = ()  # Latin text burnt into the first scenes
    embedded: tuple[SubtitleTrack, ...] = ()  # text subtitle streams inside the clip (MP4 mov_text)


@dataclass(frozen=True)
class Version:
    label: str
    territories: tuple[str, ...]
    start: str = "2025-04-01"
    end: str | None = None
    clip: Clip | None = None
    subtitles: tuple[SubtitleTrack, ...] = ()


@dataclass(frozen=True)
class DemoTitle:
    id: str
    kind: str
    original_title: str
    original_language: str
    year: int
    metadata: tuple[Metadata, ...]
    versions: tuple[Version, ...]
    hue: float  # colour of its poster and clip
    parent: str | None = None
    number: int | None = None
    poster: str | None = "png"  # png | jpg | None
    external_ids: dict[str, str] = field(default_factory=dict)


WORLD = ("JP", "US", "GB", "DE", "AU", "BR", "FR", "CA")
ASIA_PACIFIC = ("JP", "AU", "NZ", "SG", "KR")


def _film(
    id: str,
    original_title: str,
    language: str,
    year: int,
    hue: float,
    en: tuple[str, str, tuple[str, ...]],
    ja: tuple[str, str, tuple[str, ...]],
    *,
    territories: tuple[str, ...] = WORLD,
    scenes: tuple[int, ...] = (48, 60, 36),
    fps: Fraction = FILM_RATE,
    subtitles: tuple[SubtitleTrack, ...] = (),
    extra_metadata: tuple[Metadata, ...] = (),
    poster: str = "png",
) -> DemoTitle:
    return DemoTitle(
        id=id,
        kind=FILM,
        original_title=original_title,
        original_language=language,
        year=year,
        hue=hue,
        poster=poster,
        metadata=(Metadata("en", *en), Metadata("ja", *ja), *extra_metadata),
        versions=(
            Version(
                label="original",
                territories=territories,
                clip=Clip(scenes, fps, captions=(en[0],)),
                subtitles=subtitles,
            ),
        ),
        external_ids={"shinsa-demo": id},
    )


IRON_CASTLE_EN = (
    "Hold the gate!",
    "The snow hides their footsteps.",
    "Elder, you are wounded!",
    "Then we fight until dawn.",
)
IRON_CASTLE_JA = (
    "門を守れ！",
    "雪が足音を消している。",
    "長老、お怪我を！",
    "ならば夜明けまで戦うのみ。",
)

FILMS: tuple[DemoTitle, ...] = (
    _film(
        "kaze-no-tegami",
        "風の手紙",
        "ja",
        2019,
        0.05,
        (
            "Letters on the Wind",
            "A retired postman in Hokkaido keeps delivering letters that were never sent.",
            ("drama", "family"),
        ),
        ("風の手紙", "北海道の元郵便配達員が、出されなかった手紙を今も届け続ける。", ("ドラマ", "家族")),
        subtitles=(
            SubtitleTrack("ja", ("ただいま。", "この手紙、まだ届いていないんだ。", "風が運んでくれるさ。")),
            SubtitleTrack("en", ("I'm home.", "This letter never arrived.", "The wind will carry it.")),
        ),
    ),
    _film(
        "hanabi-no-yoru",
        "花火の夜",
        "ja",
        2022,
        0.92,
        (
            "A Night of Fireworks",
            "Two rival festival committees in Osaka must share one summer night.",
            ("comedy", "romance"),
        ),
        ("花火の夜", "大阪の二つの祭り実行委員会が、ひと夏の夜を分け合うことに。", ("コメディ", "恋愛")),
        poster="jpg",
        subtitles=(
            SubtitleTrack("ja", ("今年こそ勝つで！", "浴衣、似合ってるやん。", "ほら、上がるで。")),
            SubtitleTrack(
                "en", ("This year we win!", "The yukata suits you.", "Look, here it goes."), format="vtt"
            ),
        ),
    ),
    DemoTitle(
        id="tetsu-no-shiro",
        kind=FILM,
        original_title="鉄の城",
        original_language="ja",
        year=2017,
        hue=0.6,
        metadata=(
            Metadata(
                "en",
                "The Iron Castle",
                "A besieged mountain castle holds out through winter. A brutal sword fight in the snow "
                "leaves the castle's elder gravely wounded.",
                ("period", "action", "samurai"),
            ),
            Metadata(
                "ja",
                "鉄の城",
                "冬の山城が包囲に耐える。雪の中の激しい斬り合いで、城の長老が深い傷を負う。",
                ("時代劇", "アクション", "侍"),
            ),
        ),
        versions=(
            Version(
                label="original",
                territories=WORLD,
                clip=Clip(
                    (36, 24, 30, 40, 24),
                    captions=("The Iron Castle",),
                    # The delivered master carries its own Japanese subtitle stream, with a line
                    # the subtitle file lacks: screening finds the threat in the stream.
                    embedded=(
                        SubtitleTrack("ja", ("門を守れ！", "来い、殺してやる！", "夜明けまで戦うのみ。")),
                    ),
                ),
                subtitles=(SubtitleTrack("ja", IRON_CASTLE_JA), SubtitleTrack("en", IRON_CASTLE_EN)),
            ),
            # The Japanese broadcast edit: the bloodiest shots cut, as broadcasters do for TV.
            Version(
                label="broadcast-edit",
                territories=("JP",),
                start="2025-10-01",
                clip=Clip((36, 30, 40), captions=("The Iron Castle (TV)",)),
                subtitles=(SubtitleTrack("ja", IRON_CASTLE_JA[:2] + IRON_CASTLE_JA[3:]),),
            ),
        ),
        external_ids={"shinsa-demo": "tetsu-no-shiro"},
    ),
    _film(
        "umi-to-neko",
        "海と猫",
        "ja",
        2021,
        0.5,
        (
            "The Sea and the Cat",
            "A girl and a stray cat spend one summer on a small island in the Seto Inland Sea.",
            ("family", "animals"),
        ),
        ("海と猫", "瀬戸内の小さな島で、少女と野良猫がひと夏を過ごす。", ("ファミリー", "動物")),
        territories=ASIA_PACIFIC + ("US",),
        subtitles=(
            SubtitleTrack("ja", ("おいで、ミケ。", "島の夏は短いね。", "また来年も会えるかな。")),
            SubtitleTrack(
                "en", ("Come here, Mike.", "Island summers are short.", "Will I see you next year?")
            ),
        ),
    ),
    _film(
        "yami-no-kaidan",
        "闇の階段",
        "ja",
        2015,
        0.75,
        (
            "The Dark Stairway",
            "A night guard in an empty Tokyo school hears footsteps on a staircase that was sealed "
            "decades ago. Contains a graphic scene of injury.",
            ("horror", "mystery"),
        ),
        (
            "闇の階段",
            "無人の東京の校舎で、夜警は数十年前に封鎖された階段から足音を聞く。負傷の生々しい場面を含む。",
            ("ホラー", "ミステリー"),
        ),
        territories=("JP", "US", "GB", "DE"),
        scenes=(30, 30, 30, 30, 30),
        subtitles=(
            # Delivered the way older Japanese tools write it: CP932 with CRLF line ends.
            SubtitleTrack(
                "ja",
                (
                    "「誰か、いるのか？」",
                    "警備日誌　第三夜　異常なし。",
                    "封鎖された階段から、足音が聞こえる。",
                    "懐中電灯の電池が切れそうだ。",
                    "①階から順に見回ります。",
                    "「振り返るな」と、声がした。",
                ),
                encoding="cp932",
                crlf=True,
            ),
            SubtitleTrack(
                "en",
                (
                    '"Is someone there?"',
                    "Guard log, third night: nothing to report.",
                    "Footsteps on the sealed stairway.",
                    "The torch battery is almost gone.",
                    "Checking from the first floor up.",
                    '"Don\'t look back," said a voice.',
                ),
            ),
        ),
    ),
    _film(
        "last-ferry-to-brighton",
        "The Last Ferry to Brighton",
        "en",
        2020,
        0.55,
        (
            "The Last Ferry to Brighton",
            "On the final crossing of an old ferry, its crew and passengers settle old debts.",
            ("drama",),
        ),
        (
            "ブライトン行き最終フェリー",
            "老朽フェリー最後の航海で、乗員と乗客が古い借りを清算する。",
            ("ドラマ",),
        ),
        territories=("GB", "US", "AU", "JP", "DE"),
        fps=PAL_RATE,
        scenes=(50, 50, 50),
        subtitles=(
            SubtitleTrack(
                "en", ("Last call for Brighton.", "You still owe me a pint.", "Mind the gap, love.")
            ),
            SubtitleTrack(
                "ja",
                ("ブライトン行き、最終案内です。", "まだ一杯おごってもらってないぞ。", "足元に気をつけて。"),
            ),
        ),
    ),
    _film(
        "dust-on-copper-ridge",
        "Dust on Copper Ridge",
        "en",
        2018,
        0.1,
        (
            "Dust on Copper Ridge",
            "A mining town's last doctor rides out to stop a flood she alone saw coming.",
            ("western", "adventure"),
        ),
        (
            "カッパーリッジの砂塵",
            "鉱山町最後の医師が、自分だけが予見した洪水を止めるため馬を走らせる。",
            ("西部劇", "冒険"),
        ),
        territories=("US", "CA", "GB", "AU", "JP", "BR"),
        poster="jpg",
        subtitles=(
            SubtitleTrack(
                "en", ("Saddle up, we ride at dawn.", "Damn it, the bridge is out!", "Then we go around.")
            ),
            SubtitleTrack("ja", ("夜明けに出発よ。", "くそっ、橋が落ちてる！", "なら回り道よ。")),
        ),
    ),
    _film(
        "quiet-orbit",
        "Quiet Orbit",
        "en",
        2023,
        0.68,
        (
            "Quiet Orbit",
            "The last engineer on a silent space station has ninety minutes to restart its heart.",
            ("science fiction", "thriller"),
        ),
        (
            "静かな軌道",
            "沈黙した宇宙ステーションに残された技師に、再起動までの九十分が与えられる。",
            ("SF", "スリラー"),
        ),
        subtitles=(
            SubtitleTrack(
                "en", ("Station, do you copy?", "Ninety minutes of oxygen.", "Restarting the core now.")
            ),
            SubtitleTrack("ja", ("ステーション、応答せよ。", "酸素は残り九十分。", "コアを再起動する。")),
        ),
    ),
    _film(
        "flour-at-midnight",
        "Flour at Midnight",
        "en",
        2016,
        0.12,
        (
            "Flour at Midnight",
            "A Melbourne night bakery becomes the unlikely heart of its neighbourhood.",
            ("comedy", "food"),
        ),
        (
            "真夜中の小麦粉",
            "メルボルンの深夜営業のパン屋が、いつしか町の中心になっていく。",
            ("コメディ", "グルメ"),
        ),
        territories=("AU", "NZ", "GB", "US", "JP"),
        fps=PAL_RATE,
        scenes=(40, 45, 40),
        subtitles=(
            SubtitleTrack(
                "en", ("Ovens on, mate.", "Who orders forty croissants at 2 a.m.?", "Open till sunrise.")
            ),
            SubtitleTrack(
                "ja", ("オーブン点火！", "午前二時にクロワッサン四十個って誰だよ。", "日の出まで営業中。")
            ),
        ),
    ),
    _film(
        "nebel-ueber-hamburg",
        "Nebel über Hamburg",
        "de",
        2019,
        0.58,
        (
            "Fog over Hamburg",
            "A harbour pilot finds a container that appears on no manifest.",
            ("crime", "thriller"),
        ),
        (
            "ハンブルクの霧",
            "港の水先案内人が、どの積荷目録にも載っていないコンテナを見つける。",
            ("犯罪", "スリラー"),
        ),
        territories=("DE", "AT", "CH", "GB", "US", "JP"),
        fps=PAL_RATE,
        extra_metadata=(
            Metadata(
                "de",
                "Nebel über Hamburg",
                "Ein Hafenlotse entdeckt einen Container, der in keiner Ladeliste steht.",
                ("Krimi", "Thriller"),
            ),
        ),
        subtitles=(
            SubtitleTrack("en", ("Which ship brought this?", "It's on no list.", "Call the harbour police.")),
            SubtitleTrack("ja", ("どの船がこれを？", "どのリストにも載っていない。", "水上警察を呼べ。")),
        ),
    ),
    _film(
        "o-verao-das-pipas",
        "O Verão das Pipas",
        "pt",
        2021,
        0.3,
        (
            "The Summer of Kites",
            "Three friends in Salvador build the biggest kite their street has ever seen.",
            ("family", "coming of age"),
        ),
        ("凧の夏", "サルヴァドールの三人の友だちが、通りで一番大きな凧を作る。", ("ファミリー", "青春")),
        territories=("BR", "PT", "US", "JP"),
        extra_metadata=(
            Metadata(
                "pt",
                "O Verão das Pipas",
                "Três amigos em Salvador constroem a maior pipa que a rua já viu.",
                ("família", "amadurecimento"),
            ),
        ),
        subtitles=(
            SubtitleTrack("en", ("Hold the string!", "Higher, higher!", "It's flying!")),
            SubtitleTrack("ja", ("糸を持って！", "もっと高く！", "飛んだ！")),
        ),
    ),
)

SERIES_ID = "hoshi-no-tabi"
SEASON_ID = "hoshi-no-tabi-s1"

EPISODES = (
    (
        "出発",
        "Departure",
        "ミナとロボットのポコが故郷の星を旅立つ。",
        "Mina and her robot Poco leave their home planet.",
    ),
    (
        "砂の月",
        "The Sand Moon",
        "砂に覆われた月で、二人は迷子の商人を助ける。",
        "On a moon of sand they help a lost trader.",
    ),
    (
        "光る海",
        "The Glowing Sea",
        "光る海の上で、ポコの記憶の秘密が明らかになる。",
        "Above a glowing sea, the secret of Poco's memory comes out.",
    ),
)

ANIME: tuple[DemoTitle, ...] = (
    DemoTitle(
        id=SERIES_ID,
        kind=SERIES,
        original_title="星の旅",
        original_language="ja",
        year=2024,
        hue=0.8,
        metadata=(
            Metadata(
                "en",
                "Journey of the Stars",
                "A girl and her small robot travel between worlds looking for a way home.",
                ("anime", "adventure", "family"),
            ),
            Metadata(
                "ja",
                "星の旅",
                "少女と小さなロボットが、帰り道を探して星々を旅する。",
                ("アニメ", "冒険", "ファミリー"),
            ),
        ),
        versions=(Version(label="original", territories=WORLD),),
        external_ids={"shinsa-demo": SERIES_ID},
    ),
    DemoTitle(
        id=SEASON_ID,
        kind=SEASON,
        parent=SERIES_ID,
        number=1,
        original_title="星の旅 第1期",
        original_language="ja",
        year=2024,
        hue=0.82,
        poster=None,
        metadata=(
            Metadata("en", "Journey of the Stars: Season 1", "The first voyage.", ("anime",)),
            Metadata("ja", "星の旅 第1期", "最初の航海。", ("アニメ",)),
        ),
        versions=(Version(label="original", territories=WORLD),),
    ),
    *(
        DemoTitle(
            id=f"{SERIES_ID}-s1e{n}",
            kind=EPISODE,
            parent=SEASON_ID,
            number=n,
            original_title=f"星の旅 第{n}話「{ja_title}」",
            original_language="ja",
            year=2024,
            hue=0.8 + 0.07 * n,
            poster=None,
            metadata=(
                Metadata("en", f"Journey of the Stars {n}: {en_title}", en_synopsis, ("anime", "adventure")),
                Metadata("ja", f"星の旅 第{n}話「{ja_title}」", ja_synopsis, ("アニメ", "冒険")),
            ),
            versions=(
                Version(
                    label="original",
                    territories=WORLD,
                    clip=Clip((30, 42, 30, 42), captions=(f"Episode {n}", en_title)),
                    subtitles=(
                        SubtitleTrack(
                            "ja",
                            ("ポコ、準備はいい？", f"第{n}話、はじまり！", "つぎの星へ！"),
                            format="ass" if n == 1 else "srt",
                        ),
                        SubtitleTrack("en", ("Ready, Poco?", f"Episode {n} begins!", "On to the next star!")),
                    ),
                ),
            ),
        )
        for n, (ja_title, en_title, ja_synopsis, en_synopsis) in enumerate(EPISODES, 1)
    ),
)

DEMO_TITLES: tuple[DemoTitle, ...] = FILMS + ANIME
