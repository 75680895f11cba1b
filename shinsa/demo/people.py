"""The demo's people: one per role, Japanese and English names, one published password. Pure data."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from shinsa.accounts.roles import Role

# Published in the demo's output and docs/operations.md: the demo refuses to run with DEBUG off.
DEMO_PASSWORD = "shinsa-demo-2026"  # noqa: S105 - a published demo password, by design


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: Role
    display_name: str  # in the person's own language
    first_name: str  # romanised, for English screens and exports
    last_name: str
    preferred_language: str
    languages: tuple[tuple[str, str], ...] = ()  # (language, JLPT level for ja / CEFR otherwise)
    territories: tuple[str, ...] = ()  # markets the person knows
    superuser: bool = False


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "haruka", Role.REVIEWER, "佐藤 遥", "Haruka", "Sato", "ja", (("ja", "N1"), ("en", "B2")), ("JP",)
    ),
    DemoPerson(
        "liam",
        Role.REVIEWER,
        "Liam Carter",
        "Liam",
        "Carter",
        "en",
        (("en", "C2"), ("ja", "N3")),
        ("GB", "US", "AU"),
    ),
    DemoPerson(
        "kenji",
        Role.SENIOR_REVIEWER,
        "高橋 健二",
        "Kenji",
        "Takahashi",
        "ja",
        (("ja", "N1"), ("en", "C1")),
        ("JP", "US"),
    ),
    DemoPerson(
        "grace",
        Role.QA_AUDITOR,
        "Grace Okafor",
        "Grace",
        "Okafor",
        "en",
        (("en", "C2"), ("ja", "N2")),
        ("GB", "US"),
    ),
    DemoPerson(
        "yui",
        Role.CALIBRATION_LEAD,
        "中村 結衣",
        "Yui",
        "Nakamura",
        "ja",
        (("ja", "N1"), ("en", "C1")),
        ("JP",),
    ),
    DemoPerson(
        "daniel",
        Role.POLICY_OWNER,
        "Daniel Weber",
        "Daniel",
        "Weber",
        "en",
        (("en", "C2"), ("de", "C2"), ("ja", "N4")),
        ("DE", "GB"),
    ),
    DemoPerson(
        "akiko",
        Role.OPS_MANAGER,
        "山本 明子",
        "Akiko",
        "Yamamoto",
        "ja",
        (("ja", "N1"), ("en", "B2")),
        ("JP",),
    ),
    DemoPerson(
        "noa",
        Role.LEGAL,
        "伊藤 乃亜",
        "Noa",
        "Ito",
        "ja",
        (("ja", "N1"), ("en", "C1")),
        ("JP", "US", "GB"),
    ),
    DemoPerson(
        "admin",
        Role.ADMIN,
        "管理者 Admin",
        "Demo",
        "Admin",
        "en",
        (("en", "C2"), ("ja", "N2")),
        superuser=True,
    ),
)

ROLE_LABELS = {
    Role.REVIEWER: ("reviewer", "審査担当"),
    Role.SENIOR_REVIEWER: ("senior reviewer", "上級審査担当"),
    Role.QA_AUDITOR: ("QA auditor", "品質監査"),
    Role.CALIBRATION_LEAD: ("calibration lead", "キャリブレーション担当"),
    Role.POLICY_OWNER: ("policy owner", "ポリシー責任者"),
    Role.OPS_MANAGER: ("ops manager", "運用マネージャー"),
    Role.LEGAL: ("legal", "法務"),
    Role.ADMIN: ("admin", "管理者"),
}

INGESTING_USERNAME = "akiko"  # the ops manager loads the demo catalog


def demo_totp_secret(username: str) -> str:
    """The published TOTP key (base32) of a demo person whose role needs a second factor. Derived from
    the username so every demo run prints the same keys; like the password, it is no secret."""
    digest = hashlib.sha256(f"shinsa-demo-totp:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")
