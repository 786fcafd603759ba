"""What the components find, kept as plain data on the `Doc` so that an analysed `Doc` travels.

The components hand each other typed objects (an `Attribution` with its spans, the `Actor` a pronoun stands for);
those cannot be written by `DocBin` or sent back from the worker processes of `nlp.pipe(n_process=N)`, which
both serialise `doc.user_data` with msgpack. So a newsgraph extension keeps its objects out of `user_data`, and
the pipeline's last component, `newsgraph_plain`, writes one plain copy of all of them into `user_data`: spans
as token offsets, objects as their fields, an object shared by two records (the actor of a speaker and of an
event) once. Reading an extension of a `Doc` that has only the plain copy (after `DocBin`, or in the process
that called `nlp.pipe(n_process=N)`) rebuilds the objects from it once.
"""

from __future__ import annotations

import dataclasses
import importlib
import warnings
from typing import Any, cast

from pydantic import BaseModel
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.docinfo import cache_of

PLAIN_KEY = "newsgraph_plain"
# The objects are kept in the Doc's cache (`docinfo.cache_of`), which spaCy never serialises.
_OBJECTS_KEY = "objects"
_REBUILT_CHEAPLY = {"text"}  # Doc.text again: not worth a second copy of the article
# spaCy warns (W109) that it cannot save `user_hooks` whenever a Doc with hooks is serialised; ours hold only the
# cache, whose contents the plain copy carries, so being left behind is what is meant.
warnings.filterwarnings("ignore", message=r"\[W109\]", category=UserWarning)


def set_plain_extension(name: str) -> None:
    """Register a Doc extension whose value the `newsgraph_plain` component serialises."""
    if Doc.has_extension(name):
        return
    Doc.set_extension(name, getter=lambda doc: _objects(doc).get(name),
                      setter=lambda doc, value: _set_object(doc, name, value))


def _set_object(doc: Doc, name: str, value: Any) -> None:
    _objects(doc)[name] = value


def _objects(doc: Doc) -> dict[str, Any]:
    cache = cache_of(doc)
    if _OBJECTS_KEY not in cache:
        plain = doc.user_data.get(PLAIN_KEY)
        if plain:
            cache.update(Decoder(doc).decode_all(plain))
        cache.setdefault(_OBJECTS_KEY, {})
    return cast(dict[str, Any], cache[_OBJECTS_KEY])


def write_plain_copy(doc: Doc) -> Doc:
    """Put the plain copy of every newsgraph extension into `user_data`, with what the components derived on the
    way (name evidence, quotation ranges): reading a statement's source later resolves "they" from the same
    evidence as in the pipeline, so the records of a serialised Doc are the records of the Doc."""
    _objects(doc)
    kept = {key: value for key, value in cache_of(doc).items() if key not in _REBUILT_CHEAPLY}
    doc.user_data[PLAIN_KEY] = Encoder().encode_all(kept)
    return doc


class Encoder:
    """Objects to msgpack-able data; an object met twice is written once and referred to by number."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self._numbers: dict[int, int] = {}

    def encode_all(self, values: dict[str, Any]) -> dict[str, Any]:
        encoded = {name: self.encode(value) for name, value in values.items()}
        return {"values": encoded, "objects": self.objects}

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, str | int | float | bool):
            return value
        if isinstance(value, Span):
            return {"span": [value.start, value.end, value.label_]}
        if isinstance(value, Token):
            return {"token": value.i}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"tuple": [self.encode(v) for v in value]}
        if isinstance(value, set | frozenset):
            return {"set": sorted((self.encode(v) for v in value), key=repr)}
        if isinstance(value, dict):
            return {"dict": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if dataclasses.is_dataclass(value) or isinstance(value, BaseModel):
            return {"ref": self._number_of(value)}
        raise TypeError(f"cannot keep a {type(value).__name__} as plain data on a Doc")

    def _number_of(self, value: Any) -> int:
        number = self._numbers.get(id(value))
        if number is None:
            number = self._numbers[id(value)] = len(self.objects)
            self.objects.append(None)  # reserved first: a field may refer back to the object
            cls = type(value)
            fields = (
                {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
                if dataclasses.is_dataclass(value) else dict(value)
            )
            self.objects[number] = {"class": f"{cls.__module__}:{cls.__qualname__}",
                                    "fields": {k: self.encode(v) for k, v in fields.items()}}
        return number


class Decoder:
    """The inverse of `Encoder`, for one Doc (spans and tokens are its own)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._objects: list[Any] = []
        self._built: dict[int, Any] = {}

    def decode_all(self, plain: dict[str, Any]) -> dict[str, Any]:
        self._objects = plain["objects"]
        return {name: self.decode(value) for name, value in plain["values"].items()}

    def decode(self, value: Any) -> Any:
        # msgpack may give arrays back as tuples (DocBin reads them so): a tuple of ours is tagged.
        if isinstance(value, list | tuple):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "span" in value:
            start, end, label = value["span"]
            return Span(self.doc, start, end, label=label)
        if "token" in value:
            return self.doc[value["token"]]
        if "tuple" in value:
            return tuple(self.decode(v) for v in value["tuple"])
        if "set" in value:
            return {self.decode(v) for v in value["set"]}
        if "dict" in value:
            return {self._key(self.decode(k)): self.decode(v) for k, v in value["dict"]}
        return self._build(value["ref"])

    @staticmethod
    def _key(key: Any) -> Any:
        return tuple(key) if isinstance(key, list) else key

    def _build(self, number: int) -> Any:
        if number in self._built:
            return self._built[number]
        entry = self._objects[number]
        cls = _newsgraph_class(entry["class"])
        if issubclass(cls, BaseModel):
            fields = {k: self.decode(v) for k, v in entry["fields"].items()}
            model = self._built[number] = cls.model_construct(**fields)
            return model
        # A dataclass is registered before its fields are read, as the Encoder numbered it before writing them: a
        # field that refers back to it gets it. Set field by field, as the dataclass holds them: frozen classes and
        # fields with init=False too.
        built: Any = object.__new__(cls)
        self._built[number] = built
        for name, value in entry["fields"].items():
            object.__setattr__(built, name, self.decode(value))
        return built


def _newsgraph_class(path: str) -> type:
    # Only newsgraph's own record classes: a DocBin from elsewhere names no code to run.
    module_name, _, qualname = path.partition(":")
    if module_name != "newsgraph" and not module_name.startswith("newsgraph."):
        raise ValueError(f"a Doc's plain data names {path}, which is not a newsgraph class")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not isinstance(found, type):
        raise ValueError(f"a Doc's plain data names {path}, which is not a class")
    return found


@Language.factory("newsgraph_plain")
def make_plain_copier(nlp: Language, name: str) -> Any:
    """The pipeline's last step: the plain copy that `DocBin` and `nlp.pipe(n_process=N)` carry."""
    return write_plain_copy
