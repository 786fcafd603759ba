"""The learned PLOVER event-type model: a spaCy text classifier over a sentence or a clause.

The model (``newsgraph/models/event_types/``, retrained by ``scripts/train_event_types.py``; see its
MODEL_CARD.md) scores each of the 16 PLOVER types for a span of an already parsed document. The
events component uses it to choose between neighbouring types proposed by the lexicons (ASSAULT or
ACCUSE for "attacked"), to veto violence where the sentence reports no physical act, and to propose
a type for a clause whose verb is in no lexicon.

It is a bag of n-grams over the tokens' lower-cased forms and lemmas, with named entities replaced by
their entity label (names say where a story is, not what happened in it). The features are read
straight from the tokens of the parsed document: a span is scored without being copied into a new
``Doc``, so the model costs a few microseconds per sentence on top of the parse.

"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.attrs import ENT_TYPE, IDS
from spacy.language import Language
from spacy.ml.models.textcat import resize_and_set_ref, resize_linear_weighted
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.types import Floats2d

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

MODEL_NAME = "event_types"

# Keys of different token attributes are moved apart so that "attack" as a lemma and as a form are
# two features; the multipliers are odd 64-bit constants (golden-ratio and splitmix increments).
_ATTR_SALTS = (0, 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
_NEG_VALUE = -5000.0  # the output bias of labels added after initialisation (spaCy's own value)

TextLike = Doc | Span


def _token_keys(text: TextLike, attr: int, mask_entities: bool,
                arrays: dict[tuple[int, int], numpy.ndarray] | None = None) -> numpy.ndarray:
    """One uint64 key per token: the attribute's hash, or the entity label's for tokens in an entity. With
    `arrays`, the attribute columns of a span's Doc are read once into it and sliced for each of its sentences."""
    values = _attribute_columns(text, attr, arrays)
    if not mask_entities:
        return numpy.ascontiguousarray(values[:, 0], dtype="uint64")
    keys = numpy.where(values[:, 1] != 0, values[:, 1], values[:, 0])
    # A multi-token name counts once, not once per token: "Joe Biden" is one PERSON.
    if len(keys) > 1:
        repeat = (values[1:, 1] != 0) & (values[1:, 1] == values[:-1, 1])
        keys = numpy.concatenate([keys[:1], keys[1:][~repeat]])
    return numpy.ascontiguousarray(keys, dtype="uint64")


def _attribute_columns(text: TextLike, attr: int, arrays: dict[tuple[int, int], numpy.ndarray] | None
                       ) -> numpy.ndarray:
    """The attribute and ENT_TYPE of each token of the text, as uint64 columns."""
    if arrays is None or not isinstance(text, Span):
        source: Any = text  # Span.to_array exists at run time but not in spaCy's type stubs
        return numpy.asarray(source.to_array([attr, ENT_TYPE]), dtype="uint64").reshape(-1, 2)
    key = (id(text.doc), attr)
    whole = arrays.get(key)
    if whole is None:
        whole = arrays[key] = numpy.asarray(text.doc.to_array([attr, ENT_TYPE]), dtype="uint64").reshape(-1, 2)
    return whole[text.start : text.end]


def _ngram_forward(model: Model, texts: Sequence[TextLike], is_train: bool) -> tuple[Any, Any]:
    ops = model.ops
    ngram_size: int = model.attrs["ngram_size"]
    attrs: list[int] = model.attrs["attr_ids"]
    mask_entities: bool = model.attrs["mask_entities"]
    batch_keys = []
    batch_vals = []
    arrays: dict[tuple[int, int], numpy.ndarray] = {}  # the Docs of the batch stay alive while it is read
    for text in texts:
        parts = []
        for i, attr in enumerate(attrs):
            unigrams = _token_keys(text, attr, mask_entities, arrays)
            if len(unigrams) == 0:
                continue
            grams: list[Any] = [unigrams] + [ops.ngrams(n, cast(Any, unigrams)) for n in range(2, ngram_size + 1)]
            keys = numpy.concatenate(grams)
            if i:
                keys = keys ^ numpy.uint64(_ATTR_SALTS[i % len(_ATTR_SALTS)])
            parts.append(keys)
        keys = numpy.concatenate(parts) if parts else numpy.zeros((0,), dtype="uint64")
        keys, vals = numpy.unique(keys, return_counts=True)
        batch_keys.append(keys)
        batch_vals.append(vals)
    lengths = numpy.asarray([len(k) for k in batch_keys], dtype="int32")
    keys_all = numpy.concatenate(batch_keys) if batch_keys else numpy.zeros((0,), dtype="uint64")
    vals_all = numpy.concatenate(batch_vals).astype("f") if batch_vals else numpy.zeros((0,), dtype="f")
    return (keys_all, vals_all, lengths), lambda d_output: []


def token_ngrams(ngram_size: int, attrs: Sequence[str], mask_entities: bool) -> Model:
    """Hashed n-grams of each token attribute (LOWER, LEMMA, NORM ...), counted per text."""
    model: Model = Model("token_ngrams", _ngram_forward)
    model.attrs["ngram_size"] = ngram_size
    model.attrs["attr_ids"] = [IDS[a.upper()] for a in attrs]
    model.attrs["mask_entities"] = mask_entities
    return model


@registry.architectures("newsgraph.EventTypeBOW.v1")
def event_type_bow(
    exclusive_classes: bool,
    ngram_size: int,
    attrs: list[str],
    mask_entities: bool,
    length: int = 262144,
    nO: int | None = None,
) -> Model[list[Doc], Floats2d]:
    """spaCy's TextCatBOW.v3 with a choice of token attributes and entity masking."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": _NEG_VALUE, "W": 0}
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer: Model = resizable(
        sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults)
    )
    model: Model = chain(token_ngrams(ngram_size, attrs, mask_entities), resizable_layer)
    model = chain(with_cpu(model, model.ops), with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return cast(Model[list[Doc], Floats2d], model)


class TypeModel:
    """The trained event-type classifier; `scores` gives each PLOVER type's probability per span.

    Scores are independent sigmoids (a multi-label classifier): they need not sum to one, and a span
    whose every score is low reads as no event.
    """

    def __init__(self, path: Path) -> None:
        from spacy import util

        # Only the classifier is needed: tokens come from the caller's parse (the directory may lack them).
        self.nlp: Language = util.load_model_from_config(util.load_config(path / "config.cfg"))
        self.nlp.from_disk(path, exclude=["tokenizer", "vocab"])
        pipe = self.nlp.get_pipe(self.nlp.pipe_names[0])
        self.model: Model = pipe.model  # type: ignore[attr-defined]
        self.labels: tuple[str, ...] = tuple(pipe.labels)  # type: ignore[attr-defined]
        self.meta: dict[str, Any] = dict(self.nlp.meta.get("newsgraph", {}))

    def score_array(self, spans: Sequence[TextLike]) -> numpy.ndarray:
        """Scores as an array (one row per span, one column per label of `labels`)."""
        if not spans:
            return numpy.zeros((0, len(self.labels)), dtype="f")
        return numpy.asarray(self.model.predict(list(spans)))

    def scores(self, spans: Sequence[TextLike]) -> list[dict[str, float]]:
        """Each span's score for each PLOVER type, in one batch."""
        rows = self.score_array(spans)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in rows]

    def best(self, span: TextLike, among: Sequence[str] | None = None) -> tuple[str, float]:
        """The highest-scoring type (among `among` if given) and its score."""
        row = self.scores([span])[0]
        names = [t for t in (among or self.labels) if t in row]
        top = max(names, key=row.__getitem__)
        return top, row[top]


def model_dir() -> Path:
    from newsgraph.lexicons import MODELS_DIR

    return MODELS_DIR / MODEL_NAME


@cache
def load_type_model(path: Path) -> TypeModel:
    """A model directory, loaded once per process."""
    return TypeModel(path)


def type_model() -> TypeModel:
    """The shipped model."""
    return load_type_model(model_dir())
