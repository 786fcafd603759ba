"""The context words of data/place_cues.tsv, by role."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from newsgraph.lexicons import table

# --- context words --------------------------------------------------------------------------------

# Unit words that count as such when capitalised ("Donetsk Oblast", "Horry County"); others
# capitalised are parts of other names ("Arizona State University", "the State Department").
CAPITALISED_UNIT_WORDS = frozenset({"oblast", "province", "region", "county", "governorate", "prefecture", "krai",
                                    "voivodeship", "canton", "district", "territory", "emirate", "parish"})
# Roles whose words are parts of names, matched as written.
CAPITALISED_ROLES = frozenset({"facility_head", "street_head", "body_noun", "natural_prefix", "natural_head",
                               "campus_word", "not_a_place"})


@dataclass(frozen=True)
class Cues:
    """The word lists of data/place_cues.tsv, by role."""

    roles: dict[str, frozenset[str]]

    def __getitem__(self, role: str) -> frozenset[str]:
        return self.roles.get(role, _EMPTY)


_EMPTY: frozenset[str] = frozenset()


@cache
def cues() -> Cues:
    by_role: dict[str, set[str]] = defaultdict(set)
    for row in table("place_cues.tsv"):
        word = row["word"].strip()
        # Facility, street and body heads are capitalised name parts; the rest are matched lower-cased.
        by_role[row["role"]].add(word if row["role"] in CAPITALISED_ROLES else word.lower())
    return Cues({role: frozenset(words) for role, words in by_role.items()})

