"""The sentence encoder: unit vectors in which a paraphrase is nearer than a sentence on another subject."""

import numpy as np
import pytest

from newsgraph.embeddings import DIMENSION, shared_encoder


@pytest.fixture(scope="module")
def encoder():
    return shared_encoder()


def test_a_paraphrase_is_nearer_than_another_subject(encoder):
    vectors = encoder.encode([
        "Russia denied carrying out the attack on the town.",
        "Moscow said it had not struck the town.",
        "The central bank raised interest rates by half a point.",
    ])
    assert vectors.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > 0.5 > unrelated


def test_repeated_and_empty_texts(encoder):
    text = "The governor signed the bill on Tuesday."
    vectors = encoder.encode([text, "", text])
    assert np.array_equal(vectors[0], vectors[2])
    assert not vectors[1].any()  # nothing said, no direction


def test_batching_does_not_change_a_vector(encoder):
    texts = [f"The mayor said {n} buses would run on the new route next year." for n in range(5)]
    texts.append("A short one.")
    one_by_one = np.stack([encoder._encode_uncached([t])[0] for t in texts])
    together = encoder._encode_uncached(texts)
    assert np.allclose(one_by_one, together, atol=1e-4)
