"""Idempotent storing and near-duplicate articles: an exact content hash and a MinHash signature.

`content_hash` identifies one text whatever its line endings, spacing or letter case, so storing the same
article twice is a no-op. `fingerprint` is a MinHash signature (datasketch, "affine32" scheme, fixed seed)
of the text's word 5-shingles; it estimates the Jaccard similarity of two texts' shingle sets, so the same
wire report republished by several outlets with its own header, byline and boilerplate is recognised.
`band_keys` cuts a signature into LSH bands for a database index: two texts share a band key with
probability 1 - (1 - s**ROWS)**BANDS for Jaccard similarity s. With 42 bands of 3 rows that is 0.996 at
s = 0.5 (NEAR_DUPLICATE), 0.94 at 0.4, 0.04 at 0.1 and 0.0003 at 0.02, the similarity of distinct articles
on one story; 32 bands of 4 rows would miss 13% of the pairs at s = 0.5.

Word shingles are hashed without building their strings: each word is hashed once (CRC-32, stable across
processes and platforms, unlike Python's `hash`), and a shingle's hash is an order-sensitive combination of
its five word hashes; datasketch then mixes it (MurmurHash3 finalizer) before its permutations. A
5,000-word article costs about 2 ms on an idle core (benchmarks/store.py).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 42
ROWS = 3  # the bands use the first BANDS * ROWS = 126 values; similarity uses all 128
SHINGLE_WORDS = 5
SEED = 20_220_426  # fixed: signatures are stored, so every process must draw the same permutations
SCHEME = "affine32"
# Estimated Jaccard similarity of word 5-shingles from which two texts are one article. A 430-word wire report
# republished with its own headline, byline, first and last paragraph and boilerplate scores 0.59 (exact
# Jaccard 0.60), so 0.8 would miss it; the agency's next report on the same story scores 0.01 (both in
# tests/test_store_dedup.py). Among the 84 PolNeAR dev articles the most similar pair scores 0.07; among the
# 840 of the train split, seven pairs score 0.54 to 1.0 and all are one article twice (web and print
# editions with a new headline and abstract, or an updated version), while distinct articles stay at or
# below 0.16. 0.5 sits between, with the LSH bands still finding 99.6% of pairs at 0.5.
NEAR_DUPLICATE = 0.5
# Shingles a text needs before it can be anyone's near-duplicate. A text shorter than SHINGLE_WORDS words is one
# shingle, and a sentence a handful: "The minister said the plan will fail." and "The minister said the plan
# will." share two of their three shingles (Jaccard 0.67), and a change of punctuation alone leaves all of them
# equal, so a sentence would be "a version" of a different one. At 40 shingles (44 words, beyond nearly every
# single sentence) one changed word still leaves a Jaccard of 0.78, so versions of a report are found.
MIN_SHINGLES = 40
# Store this with the signatures: signatures made with another version cannot be compared.
FINGERPRINT_VERSION = f"minhash-{SCHEME}-seed{SEED}-perm{NUM_PERM}-words{SHINGLE_WORDS}-crc32"

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_CHUNK = 256  # shingles per datasketch batch: small batches keep the 256 x 128 products in the CPU cache
# Odd 32-bit multipliers (the xxHash32 primes) that make a shingle's hash depend on the order of its words.
_POSITION_MULTIPLIERS = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint32)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the text in Unicode NFC, casefolded, with whitespace runs as one space and no byte order
    mark: the same article saved with other line endings or indentation hashes the same."""
    normal = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    # Casefolding can decompose a character (U+01F0 folds to "j" and a combining caron): compose again.
    normal = unicodedata.normalize("NFC", normal.casefold())
    normal = _SPACES.sub(" ", normal).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def words_of(text: str) -> list[str]:
    """The text's words, NFKC-normalised and casefolded, punctuation dropped (so quote styles do not matter)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_hashes(words: Sequence[str]) -> np.ndarray:
    """One 32-bit hash per word 5-shingle (a single shingle of all words for shorter texts)."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint32, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    combined = np.zeros(count, dtype=np.uint32)
    for k in range(width):
        combined = combined * np.uint32(31) + word_hashes[k : k + count] * _POSITION_MULTIPLIERS[k]
    return combined


def shingles_of_words(words: int) -> int:
    """How many word 5-shingles a text of that many words has (the one shingle of a shorter text counts)."""
    return max(words - SHINGLE_WORDS + 1, min(words, 1))


def shingle_count(text: str) -> int:
    return shingles_of_words(len(words_of(text)))


def long_enough_to_compare(text: str) -> bool:
    """Whether the text has enough shingles for a near-duplicate decision (MIN_SHINGLES)."""
    return shingle_count(text) >= MIN_SHINGLES


def fingerprint(text: str) -> list[int]:
    """The MinHash signature (NUM_PERM unsigned 32-bit ints) of the text's word 5-shingles; the same text gives
    the same signature in every process. An empty text gives NUM_PERM times 2**32 - 1."""
    return fingerprint_of_words(words_of(text))


def fingerprint_of_words(words: Sequence[str]) -> list[int]:
    """`fingerprint` of a text with these words (`words_of`)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=_identity, permutations=_PERMUTATIONS)
    hashes = shingle_hashes(words)
    for start in range(0, len(hashes), _CHUNK):
        minhash.update_batch(hashes[start : start + _CHUNK].tolist())
    return [int(v) for v in minhash.hashvalues]


def _identity(value: int) -> int:
    return value


def band_keys(signature: Sequence[int]) -> list[str]:
    """One short key per LSH band ("b07:3fa2c41d9e0b7a55"): texts sharing any key are near-duplicate candidates."""
    if len(signature) != NUM_PERM:
        raise ValueError(f"a signature has {NUM_PERM} values, got {len(signature)}")
    keys = []
    for band in range(BANDS):
        rows = struct.pack(f"<{ROWS}I", *signature[band * ROWS : (band + 1) * ROWS])
        keys.append(f"b{band:02d}:{hashlib.blake2b(rows, digest_size=8).hexdigest()}")
    return keys


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets: the share of equal signature values."""
    if len(sig_a) != len(sig_b) or not sig_a:
        raise ValueError(f"signatures of different or zero length: {len(sig_a)} and {len(sig_b)}")
    return sum(a == b for a, b in zip(sig_a, sig_b, strict=True)) / len(sig_a)


def is_near_duplicate(sig_a: Sequence[int], sig_b: Sequence[int]) -> bool:
    return similarity(sig_a, sig_b) >= NEAR_DUPLICATE


def signature_bytes(signature: Sequence[int]) -> bytes:
    """The signature as little-endian unsigned 32-bit ints (512 bytes for 128 values)."""
    return struct.pack(f"<{len(signature)}I", *signature)


def signature_from_bytes(data: bytes) -> list[int]:
    if len(data) % 4:
        raise ValueError(f"a signature is a whole number of 4-byte values, got {len(data)} bytes")
    return list(struct.unpack(f"<{len(data) // 4}I", data))
