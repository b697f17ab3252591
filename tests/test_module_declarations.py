"""Every part of the portal declares itself (porch/<app>/module.py), and a forgotten
declaration fails here rather than quietly leaving a model out of the checks."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse

from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.core import modules
from porch.core.actor import Actor
from porch.core.modules import AuditKind, Module, Owner, holds_personal_data, undeclared_personal_models


def test_every_model_holding_personal_data_is_declared_by_its_module() -> None:
    assert undeclared_personal_models() == []


def test_the_check_finds_a_model_nobody_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the documents module's declaration away: its Document must be reported."""
    without = {app: module for app, module in modules._registry.items() if app != "documents"}
    monkeypatch.setattr(modules, "_registry", without)
    assert "documents.Document" in undeclared_personal_models()


def test_a_key_to_a_person_or_a_contact_field_makes_a_model_personal() -> None:
    assert holds_personal_data(apps.get_model("documents", "Document"))  # keys to a tenancy and a person
    assert holds_personal_data(apps.get_model("accounts", "SignupHelpRequest"))  # a name and a contact, no keys
    assert not holds_personal_data(apps.get_model("housing", "Block"))  # a block's name is nobody's


def test_every_app_with_personal_data_has_a_declaration() -> None:
    for config in apps.get_app_configs():
        holds = [model for model in config.get_models() if holds_personal_data(model)]
        if config.name.startswith("porch.") and holds:
            assert modules.module_for(config.label) is not None, f"{config.label} has no module.py"


def test_each_declared_owner_key_is_a_field_of_its_model() -> None:
    """The key is what a database policy will be written on (issue 15): it must exist."""
    for declared in modules.personal_models():
        model = apps.get_model(declared.model)
        for key in declared.keys:
            try:
                model._meta.get_field(key)
            except FieldDoesNotExist:
                pytest.fail(f"{declared.model} declares owner key {key!r}, which it does not have")
        assert declared.owner in Owner


def test_each_model_is_declared_once_by_the_app_that_defines_it() -> None:
    labels = [declared.model for declared in modules.personal_models()]
    assert len(labels) == len(set(labels))
    for module in modules.modules():
        assert all(declared.model.split(".")[0] == module.app for declared in module.personal)


def test_audit_kinds_name_a_declared_category_and_read_as_words() -> None:
    categories = {category.key for category in modules.categories()}
    keys = [kind.key for kind in modules.audit_kinds()]
    assert len(keys) == len(set(keys))
    for kind in modules.audit_kinds():
        assert kind.category in categories or kind.category == ""
        assert kind.label
        # A kind never told to residents must not be judged as theirs by the household rule alone.
        assert kind.place is None or kind.residents == modules.ResidentRule.PLACE


@pytest.mark.django_db
def test_an_undeclared_audit_kind_is_refused_before_anything_is_written() -> None:
    with pytest.raises(KeyError, match="not declared"):
        record(actor=Actor(), action="view", object_type="something_new")
    with pytest.raises(KeyError, match="not declared"):  # made in a module but never declared
        record(actor=Actor(), action="view", object_type=AuditKind("something_new", "something"))
    with pytest.raises(KeyError, match="not the one"):  # a declared key with other rules
        record(actor=Actor(), action="view", object_type=AuditKind("document", "a document"))
    assert not AccessEvent.objects.exists()


def test_two_modules_cannot_declare_the_same_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modules, "_registry", dict(modules._registry))
    documents = modules.module_for("documents")
    assert documents is not None
    for clash in (
        Module("other", "Other", switch=documents.switch),
        Module("other", "Other", approvals=documents.approvals),
        Module("other", "Other", audit_kinds=documents.audit_kinds[:1]),
        Module("other", "Other", personal=documents.personal),
    ):
        with pytest.raises(ValueError, match="declared by two modules"):
            modules.register(clash)


def test_every_declared_link_and_panel_resolves() -> None:
    for module in modules.modules():
        for link in (*module.resident_links, *module.staff_links):
            try:
                reverse(link.url_name)
            except NoReverseMatch:
                pytest.fail(f"{module.app} links to {link.url_name}, which is not a page")
        assert module.switch is None or module.switch.key.isidentifier()
