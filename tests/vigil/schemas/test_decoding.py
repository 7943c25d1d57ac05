"""Properties of the schemas' JSON decoding (``Message.from_json_bytes``): whatever the bytes, a schema
either returns a message or raises pydantic's ``ValidationError``, never anything else; what it accepts
round-trips; and the identity and text hashes never raise on any text."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.bad_input import corpus, deep_json
from vigil.bus.dead_letter import DeadLetter
from vigil.schemas import (
    SCHEMAS,
    canonical_url,
    content_hash,
    document_id,
    normalise_text,
)
from vigil.schemas import example as schema_example

MODELS = [*SCHEMAS.values(), DeadLetter]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def decodes_or_refuses(model, data: bytes) -> None:
    try:
        message = model.from_json_bytes(data)
    except ValidationError:
        return
    assert model.from_json_bytes(message.to_json_bytes()) == message


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
@example(data=b"")
@example(data=b"\xef\xbb\xbf{}")
@example(data=b'{"text": "\\ud800"}')
def test_any_bytes_decode_or_raise_a_validation_error(model, data):
    decodes_or_refuses(model, data)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_any_json_decodes_or_raises_a_validation_error(model, value):
    decodes_or_refuses(model, json.dumps(value).encode())


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_an_example_with_any_field_changed_decodes_or_raises_a_validation_error(name, data):
    payload = schema_example(name)
    field = data.draw(st.sampled_from(sorted(payload)))
    changed = {**payload, field: data.draw(json_values)} if data.draw(st.booleans()) else \
        {k: v for k, v in payload.items() if k != field}
    decodes_or_refuses(SCHEMAS[name], json.dumps(changed).encode())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_corpus_messages_and_deep_nesting_raise_validation_errors(model):
    for path in corpus("messages"):
        with pytest.raises(ValidationError):
            model.from_json_bytes(path.read_bytes())
    with pytest.raises(ValidationError, match="recursion limit"):
        model.from_json_bytes(deep_json())


@settings(max_examples=200, deadline=None)
@given(text=st.text())
@example(text="bread \ud800 butter")
def test_text_hashes_never_raise(text):
    assert len(content_hash(text)) == 32 and normalise_text(normalise_text(text)) == normalise_text(text)


urls = st.builds(lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
                 st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
                 st.text(max_size=20) | st.sampled_from(["news.example.org", "[::1]", "[::1", "xn--e1afmkfd.xn--p1ai"]),
                 st.sampled_from(["", ":80", ":443", ":8080", ":99999", ":x"]),
                 st.text(max_size=30).map(lambda t: "/" + t), st.text(max_size=30).map(lambda t: "?" + t))


@settings(max_examples=200, deadline=None)
@given(url=urls | st.text())
def test_a_url_is_made_canonical_once_or_refused_with_a_value_error(url):
    try:
        canonical = canonical_url(url)
    except ValueError:
        return
    assert canonical_url(canonical) == canonical and len(document_id(url, "post")) == 32
