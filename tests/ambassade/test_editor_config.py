"""The editor's forms are made from the rules: the schema, the vocabulary, the networks' limits."""

from __future__ import annotations

import json
import re

import pytest

from ambassade import i18n
from ambassade.editor import config as editor_config
from ambassade.editor.settings import EditorSettings
from ambassade.settings import SettingsError
from ambassade.share import NETWORKS
from ambassade.site import vocabulary
from tests.support import PREVIEW_CONF, ROOT, settings_of


def made(**backend) -> dict:
    settings = settings_of(PREVIEW_CONF)
    schema = json.loads((ROOT / "experts" / "schema.json").read_text(encoding="utf-8"))
    return editor_config.config(
        settings,
        root=ROOT,
        schema=schema,
        vocabulary=vocabulary(settings, ROOT)[0],
        backend=editor_config.Backend(**backend),
        max_title=90,
        summary_required=True,
    )


def fields_of(conf: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in conf["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}


def test_profile_fields_follow_the_schema():
    schema = json.loads((ROOT / "experts" / "schema.json").read_text(encoding="utf-8"))
    fields = fields_of(made(), "experts")
    assert [name for name, f in fields.items() if f["required"]] == schema["required"]
    assert set(fields) <= set(schema["properties"])
    with i18n.speaking("fr"):
        assert fields["name"]["hint"] == i18n.translated(schema["properties"]["name"]["description"])
    assert fields["name"]["pattern"][0] == r"^[\s\S]{2,80}$"


def test_topics_are_the_vocabulary_and_nothing_else():
    settings = settings_of(PREVIEW_CONF)
    names = [t.names["fr"] for t in vocabulary(settings, ROOT)[0].topics.values()]
    conf = made()
    for collection, name in (("experts", "expertise"), ("articles-fr", "tags")):
        field = fields_of(conf, collection)[name]
        assert field["widget"] == "select" and field["multiple"]
        assert [o["value"] for o in field["options"]] == names
    english = [t.names["en"] for t in vocabulary(settings, ROOT)[0].topics.values()]
    assert [o["value"] for o in fields_of(conf, "articles-en")["tags"]["options"]] == english


def test_each_network_refuses_a_text_past_its_limit_with_the_link_counted():
    fields = fields_of(made(), "articles-fr")
    for network in NETWORKS.values():
        pattern = fields[f"share-{network.key}"]["field"]["pattern"][0]
        room = network.limit - (network.url_length or 60) - 1
        assert re.fullmatch(pattern, "x" * room)
        assert not re.fullmatch(pattern, "x" * (room + 1))


def test_authors_are_chosen_among_published_experts():
    authors = fields_of(made(), "articles-fr")["authors"]
    assert authors["widget"] == "relation" and authors["collection"] == "experts"
    assert authors["filters"] == [{"field": "published", "values": [True]}]


def test_the_forge_opens_pull_requests_and_the_local_backend_writes_the_working_tree():
    forge = made(forge="gitlab", repo="clairvoie/site", app_id="abc")
    assert forge["publish_mode"] == "editorial_workflow"
    assert forge["backend"] == {
        "name": "gitlab",
        "branch": "main",
        "repo": "clairvoie/site",
        "app_id": "abc",
        "auth_type": "pkce",
    }
    local = made(local_url="http://127.0.0.1:8081/api/v1")
    assert "publish_mode" not in local
    assert local["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1"


@pytest.mark.parametrize(
    ("setting", "said"),
    [({"forge": "bitbucket"}, "EDITOR['forge'] is 'bitbucket'"), ({"repo": "site"}, "EDITOR['repo']")],
)
def test_a_wrong_editor_setting_is_a_finding(setting, said):
    with pytest.raises(SettingsError) as caught:
        EditorSettings.of({"EDITOR": setting})
    assert [said in f.message for f in caught.value.findings] == [True]
