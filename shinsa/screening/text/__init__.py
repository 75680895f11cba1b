"""Text screening against lexicons (ja/en): normalised views with offset maps, Aho-Corasick matching.

Pure: no Django. ``screen_text(text, lexicon)``, ``screen_cues(cues, lexicon)`` and
``screen_metadata(fields, lexicon)``; lexicons are policy
data loaded by the ``lexicons`` policy kind. See docs/lexicons.md.
"""

from shinsa.screening.text.lexicon import (
    LEXICON_KIND,
    LEXICONS,
    Lexicon,
    Lexicons,
    LexiconTerm,
    MatchMode,
    load_lexicon_directory,
)
from shinsa.screening.text.matcher import (
    CueHit,
    FieldHit,
    TextHit,
    screen_cues,
    screen_metadata,
    screen_text,
)

__all__ = [
    "LEXICONS",
    "LEXICON_KIND",
    "CueHit",
    "FieldHit",
    "Lexicon",
    "LexiconTerm",
    "Lexicons",
    "MatchMode",
    "TextHit",
    "load_lexicon_directory",
    "screen_cues",
    "screen_metadata",
    "screen_text",
]
