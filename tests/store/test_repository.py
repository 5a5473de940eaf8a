"""The repository on SQLite and PostgreSQL: seed, proposals, moderation, history, roles, conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from data import accounts
from data.db import Conflict, Forbidden, StoreError
from data.repository import Actor
from tests.conftest import make_initiative
from tests.store.conftest import PASSWORD


def ids(repo) -> set[str]:
    return {item.id for item in repo.snapshot().items}


def test_seed_is_idempotent_and_follows_the_file_without_touching_edits(repo, moderator, seeded):
    assert ids(repo) == {"ref-0", "ref-1", "ref-2"}
    revision = repo.revision()
    assert repo.seed(seeded, "seed-1") == 0 and repo.revision() == revision  # same file: one read, no write
    repo.edit(moderator, replace(seeded[0], name="Référence 0 corrigée"), 1)
    newer = [replace(item, description="Mise à jour du fichier") for item in seeded]
    newer.append(make_initiative("ref-3", name="Nouvelle du fichier"))
    assert repo.seed(newer, "seed-2") == 3  # ref-1, ref-2 follow the file; ref-3 is new; ref-0 was edited
    assert repo.get("ref-0").item.name == "Référence 0 corrigée"
    assert repo.get("ref-0").item.description == ""
    assert repo.get("ref-1").item.description == "Mise à jour du fichier"
    assert "ref-3" in ids(repo)


def test_an_entry_removed_from_the_file_is_archived_unless_a_moderator_edited_it(repo, moderator, seeded):
    repo.edit(moderator, replace(seeded[0], name="Référence 0 corrigée"), 1)
    assert repo.seed([seeded[2]], "seed-2") == 1  # ref-1 leaves the map; ref-0 was edited: kept
    assert ids(repo) == {"ref-0", "ref-2"}
    assert repo.get("ref-1").status == "archived"
    last = repo.history("ref-1")[-1]
    assert (last.action, last.note) == ("archived", "retirée du référentiel fourni")


def test_proposal_waits_for_moderation_then_reaches_the_map_with_its_history(repo, moderator, seeded):
    item = make_initiative("x", name="Jardin partagé des Lilas", commune_code="93045")
    proposal = repo.propose(item, comment="Vu dans le journal", contact="a@example.org")
    assert proposal.reference == "P-000001" and proposal.status == "pending"
    assert proposal.initiative_id.startswith("jardin-partage-des-lilas-")
    assert proposal.initiative_id not in ids(repo)
    stored = repo.approve(moderator, proposal.id)
    assert stored.version == 1 and stored.origin == "proposal"
    assert proposal.initiative_id in ids(repo)
    steps = [(h.action, h.actor) for h in repo.history(proposal.initiative_id)]
    assert steps == [("proposed", "visiteur"), ("approved", "claude")]
    with pytest.raises(StoreError, match="déjà été traitée"):
        repo.approve(moderator, proposal.id)


def test_identifier_is_stable_when_name_and_commune_change(repo, moderator, seeded):
    proposal = repo.propose(make_initiative("x", name="Ancien nom"))
    ident = repo.approve(moderator, proposal.id).item.id
    repo.edit(moderator, replace(repo.get(ident).item, name="Nouveau nom", commune_code="35238"), 1)
    assert repo.get(ident).item.name == "Nouveau nom" and len(ids(repo)) == 4


def test_correction_with_a_stale_version_is_a_conflict_showing_both(repo, moderator, seeded):
    current = repo.get("ref-1")
    correction = repo.propose(
        replace(current.item, name="Nom proposé"),
        kind="correction",
        target="ref-1",
        base_version=current.version,
    )
    repo.edit(moderator, replace(current.item, name="Nom du modérateur"), current.version)
    with pytest.raises(Conflict) as caught:
        repo.approve(moderator, correction.id)
    assert "modifiée entre-temps" in str(caught.value)
    assert caught.value.current["name"] == "Nom du modérateur"
    assert caught.value.proposed["name"] == "Nom proposé"
    assert repo.get("ref-1").item.name == "Nom du modérateur"  # nothing overwritten
    repo.approve(moderator, correction.id, item=replace(current.item, name="Nom fusionné"), base_version=2)
    assert repo.get("ref-1").item.name == "Nom fusionné"
    assert [h.action for h in repo.history("ref-1")] == ["imported", "proposed", "edited", "approved"]


def test_edit_from_an_old_version_is_refused(repo, moderator, seeded):
    repo.edit(moderator, replace(seeded[2], name="Première"), 1)
    with pytest.raises(Conflict):
        repo.edit(moderator, replace(seeded[2], name="Seconde"), 1)
    assert repo.get("ref-2").item.name == "Première"


def test_ended_initiative_is_archived_kept_and_restorable(repo, moderator, seeded):
    ended = repo.propose(seeded[0], kind="ended", target="ref-0", base_version=1, comment="Fermée en 2025")
    repo.approve(moderator, ended.id)
    assert "ref-0" not in ids(repo) and repo.get("ref-0").status == "archived"
    assert [s.item.id for s in repo.archived()] == ["ref-0"]
    repo.restore(moderator, "ref-0", repo.get("ref-0").version)
    assert "ref-0" in ids(repo)
    assert [h.action for h in repo.history("ref-0")][-3:] == ["proposed", "archived", "restored"]


def test_rejection_needs_a_reason_and_is_recorded(repo, moderator):
    proposal = repo.propose(make_initiative("x", name="Doublon"))
    with pytest.raises(StoreError, match="raison"):
        repo.reject(moderator, proposal.id, "  ")
    repo.reject(moderator, proposal.id, "Déjà sur la carte")
    assert repo.proposal(proposal.id).status == "rejected"
    assert repo.history(proposal.initiative_id)[-1].note.endswith("Déjà sur la carte")
    assert proposal.initiative_id not in ids(repo)


@pytest.mark.parametrize("who", [None, Actor("inconnu", "admin"), "visitor-as-admin"])
def test_every_change_checks_the_role_in_the_data_layer(repo, seeded, who):
    proposal = repo.propose(make_initiative("x"))
    actor = Actor("personne", "admin") if who == "visitor-as-admin" else who
    for call in (
        lambda: repo.approve(actor, proposal.id),
        lambda: repo.reject(actor, proposal.id, "non"),
        lambda: repo.edit(actor, seeded[0], 1),
        lambda: repo.archive(actor, "ref-0", 1),
        lambda: repo.import_rows(actor, [], file_name="f.csv"),
    ):
        with pytest.raises(Forbidden):
            call()
    assert repo.proposal(proposal.id).status == "pending"


def test_moderator_cannot_import_and_disabled_accounts_can_do_nothing(repo, moderator, admin, seeded):
    with pytest.raises(Forbidden, match="administrateur"):
        repo.import_rows(moderator, [], file_name="f.csv")
    accounts.set_active(repo, "claude", False)
    with pytest.raises(Forbidden):
        repo.edit(moderator, seeded[0], 1)
    # a forged role does not help: the database's role counts
    with pytest.raises(Forbidden):
        repo.import_rows(Actor("claude", "admin"), [], file_name="f.csv")


def test_every_change_bumps_the_revision_but_logins_do_not(repo, moderator, seeded):
    start = repo.revision()
    accounts.authenticate(repo, "claude", PASSWORD)
    assert repo.revision() == start
    repo.propose(make_initiative("x"))
    repo.propose(make_initiative("y"))  # two changes within one second: two revisions
    assert repo.revision() == start + 2


def test_import_never_replaces_a_curated_record(repo, admin, seeded):
    rows = [
        (2, replace(seeded[0], name="Écrasement"), True),  # the id of a referential initiative
        (
            3,
            make_initiative("a-attribuer", name="Référence 1", commune_code="35238"),
            False,
        ),  # same name+commune
        (4, make_initiative("a-attribuer", name="Vraiment nouvelle"), False),
    ]
    outcome = repo.import_rows(admin, rows, file_name="essai.csv")
    assert (outcome.added, outcome.updated, outcome.unchanged) == (1, 0, 0)
    assert [line for line, _, _ in outcome.refused] == [2, 3]
    assert "du référentiel" in outcome.refused[0][2]
    assert repo.get("ref-0").item.name == "Référence 0"
    again = repo.import_rows(admin, rows[2:], file_name="essai.csv")
    assert (again.added, again.unchanged) == (0, 1)
    new = next(i for i in repo.snapshot().items if i.name == "Vraiment nouvelle")
    assert repo.history(new.id)[0].note == "import du fichier « essai.csv »"


def test_accounts_hash_lock_and_sessions(repo):
    accounts.create_account(repo, "dominique", PASSWORD, "moderator")
    stored = accounts.list_accounts(repo)
    assert stored[0]["username"] == "dominique" and "password_hash" not in stored[0]
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.LoginError, match="incorrect"):
            accounts.authenticate(repo, "dominique", "mauvais-mot-de-passe")
    with pytest.raises(accounts.LoginError, match="verrouillé"):
        accounts.authenticate(repo, "dominique", PASSWORD)
    accounts.set_password(repo, "dominique", "un-autre-mot-de-passe")
    actor = accounts.authenticate(repo, "dominique", "un-autre-mot-de-passe")
    token = accounts.open_session(repo, actor)
    assert accounts.session_actor(repo, token) == actor  # a reload finds the account again
    accounts.close_session(repo, token)
    assert accounts.session_actor(repo, token) is None
    with pytest.raises(StoreError, match="trop court"):
        accounts.create_account(repo, "eve", "court", "admin")


def test_password_is_hashed_with_argon2(repo):
    import sqlalchemy as sa

    from data import db

    accounts.create_account(repo, "frederique", PASSWORD, "admin")
    with repo.engine.connect() as connection:
        digest = connection.execute(sa.select(db.accounts.c.password_hash)).scalar_one()
    assert digest.startswith("$argon2") and PASSWORD not in digest
