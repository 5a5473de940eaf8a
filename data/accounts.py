"""Moderator and administrator accounts: passwords, lockout, login sessions, command line.

Why here and this way: only a few trusted people change the inventory, so accounts are
created from the command line on the server (no sign-up page to attack). Passwords are
hashed with argon2 (argon2-cffi); after ``MAX_FAILURES`` wrong passwords an account is
locked for ``LOCK_MINUTES``. A login creates a random token whose SHA-256 alone is
stored, valid ``SESSION_HOURS``: the browser keeps the token in a cookie so that a page
reload keeps the person logged in, for a bounded time.

Command line (``python -m data.accounts --help``)::

    python -m data.accounts creer camille --role admin      # asks the password twice
    python -m data.accounts mot-de-passe camille
    python -m data.accounts role camille moderator
    python -m data.accounts desactiver camille
    python -m data.accounts liste
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import hashlib
import os
import re
import secrets
import sys

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from data import db
from data.db import StoreError
from data.repository import ROLE_LABELS, ROLES, Actor, Repository, now

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_HASHER = PasswordHasher()


class LoginError(StoreError):
    """Wrong name or password, or a locked account (message in French)."""


def _in(minutes: float = 0, hours: float = 0) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes, hours=hours)).isoformat(
        timespec="seconds"
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StoreError(f"mot de passe trop court ({len(password)} caractères, {MIN_PASSWORD} au moins)")


def create_account(repo: Repository, username: str, password: str, role: str) -> None:
    """Create an account (name: lower-case letters, digits, « . _ - »)."""
    if not _USERNAME.match(username):
        raise StoreError(f"« {username} » n'est pas un nom de compte (minuscules, chiffres, . _ -, 2 à 40)")
    if role not in ROLES:
        raise StoreError(f"« {role} » n'est pas un rôle ({', '.join(ROLES)})")
    _check_password(password)
    with db.write_transaction(repo.engine, bump=False) as connection:
        if connection.execute(
            sa.select(db.accounts.c.username).where(db.accounts.c.username == username)
        ).first():
            raise StoreError(f"le compte « {username} » existe déjà")
        connection.execute(
            sa.insert(db.accounts).values(
                username=username,
                password_hash=_HASHER.hash(password),
                role=role,
                active=True,
                failures=0,
                created_at=now(),
            )
        )


def _change(repo: Repository, username: str, **values) -> None:
    with db.write_transaction(repo.engine, bump=False) as connection:
        done = connection.execute(
            sa.update(db.accounts).where(db.accounts.c.username == username).values(**values)
        ).rowcount
        if not done:
            raise StoreError(f"le compte « {username} » n'existe pas")
        if values.get("active") is False or "password_hash" in values:
            connection.execute(sa.delete(db.login_sessions).where(db.login_sessions.c.username == username))


def set_password(repo: Repository, username: str, password: str) -> None:
    """Replace a password (and unlock the account; its open sessions end)."""
    _check_password(password)
    _change(repo, username, password_hash=_HASHER.hash(password), failures=0, locked_until=None)


def set_role(repo: Repository, username: str, role: str) -> None:
    """Change an account's role."""
    if role not in ROLES:
        raise StoreError(f"« {role} » n'est pas un rôle ({', '.join(ROLES)})")
    _change(repo, username, role=role)


def set_active(repo: Repository, username: str, active: bool) -> None:
    """Disable (its sessions end) or re-enable an account."""
    _change(repo, username, active=active, failures=0, locked_until=None)


def list_accounts(repo: Repository) -> list[dict]:
    """Every account, without its password hash."""
    table = db.accounts
    with db.read_transaction(repo.engine) as connection:
        rows = connection.execute(
            sa.select(
                table.c.username, table.c.role, table.c.active, table.c.locked_until, table.c.created_at
            ).order_by(table.c.username)
        ).mappings()
        return [dict(row) for row in rows]


def authenticate(repo: Repository, username: str, password: str) -> Actor:
    """The account's :class:`Actor` when the password is right; :class:`LoginError` otherwise."""
    table = db.accounts
    wrong = LoginError("nom de compte ou mot de passe incorrect")
    with db.write_transaction(repo.engine, bump=False) as connection:
        row = (
            connection.execute(sa.select(table).where(table.c.username == username.strip()))
            .mappings()
            .first()
        )
        if row is None or not row["active"]:
            _HASHER.hash(password)  # same cost as a real check: do not reveal which names exist
            raise wrong
        if row["locked_until"] and row["locked_until"] > now():
            raise LoginError(
                f"compte verrouillé après {MAX_FAILURES} essais manqués : réessayez après "
                f"{row['locked_until'][11:16]} (heure UTC)"
            )
        try:
            _HASHER.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            failures = row["failures"] + 1
            locked = _in(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
            connection.execute(
                sa.update(table)
                .where(table.c.username == row["username"])
                .values(failures=0 if locked else failures, locked_until=locked)
            )
            failed = wrong
        else:
            connection.execute(
                sa.update(table)
                .where(table.c.username == row["username"])
                .values(failures=0, locked_until=None)
            )
            return Actor(row["username"], row["role"])
    raise failed


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(repo: Repository, actor: Actor) -> str:
    """A new login token for ``actor`` (valid ``SESSION_HOURS``); only its digest is stored."""
    token = secrets.token_urlsafe(32)
    with db.write_transaction(repo.engine, bump=False) as connection:
        connection.execute(sa.delete(db.login_sessions).where(db.login_sessions.c.expires_at < now()))
        connection.execute(
            sa.insert(db.login_sessions).values(
                token_hash=_digest(token), username=actor.username, expires_at=_in(hours=SESSION_HOURS)
            )
        )
    return token


def session_actor(repo: Repository, token: str) -> Actor | None:
    """The account a token belongs to, if the token is valid and the account active."""
    if not token or len(token) > 100:
        return None
    sessions, table = db.login_sessions, db.accounts
    with db.read_transaction(repo.engine) as connection:
        row = connection.execute(
            sa.select(table.c.username, table.c.role)
            .join(sessions, sessions.c.username == table.c.username)
            .where(sessions.c.token_hash == _digest(token), sessions.c.expires_at > now(), table.c.active)
        ).first()
    return Actor(row.username, row.role) if row else None


def close_session(repo: Repository, token: str) -> None:
    """Log out: the token stops working at once."""
    with db.write_transaction(repo.engine, bump=False) as connection:
        connection.execute(
            sa.delete(db.login_sessions).where(db.login_sessions.c.token_hash == _digest(token))
        )


def _ask_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Encore une fois : ") != first:
        raise StoreError("les deux mots de passe diffèrent")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data.accounts",
        description="Comptes de modération (le mot de passe est demandé, ou lu sur l'entrée standard).",
    )
    parser.add_argument(
        "--base",
        default=os.environ.get("ALLIANCES_DATABASE_URL") or db.DEFAULT_URL,
        help="adresse de la base (défaut : ALLIANCES_DATABASE_URL ou %(default)s)",
    )
    commands = parser.add_subparsers(dest="commande", required=True)
    create = commands.add_parser("creer", help="créer un compte")
    create.add_argument("nom")
    create.add_argument("--role", choices=list(ROLES), default="moderator")
    commands.add_parser("mot-de-passe", help="changer un mot de passe (et déverrouiller)").add_argument("nom")
    role = commands.add_parser("role", help="changer le rôle d'un compte")
    role.add_argument("nom")
    role.add_argument("role", choices=list(ROLES))
    commands.add_parser("desactiver", help="désactiver un compte").add_argument("nom")
    commands.add_parser("activer", help="réactiver un compte").add_argument("nom")
    commands.add_parser("liste", help="lister les comptes")
    args = parser.parse_args(argv)
    try:
        repo = Repository(args.base)
        if args.commande == "creer":
            create_account(repo, args.nom, _ask_password(), args.role)
            print(f"Compte « {args.nom} » créé ({ROLE_LABELS[args.role]}).")
        elif args.commande == "mot-de-passe":
            set_password(repo, args.nom, _ask_password())
            print(f"Mot de passe de « {args.nom} » changé.")
        elif args.commande == "role":
            set_role(repo, args.nom, args.role)
            print(f"« {args.nom} » est maintenant {ROLE_LABELS[args.role]}.")
        elif args.commande in ("desactiver", "activer"):
            set_active(repo, args.nom, args.commande == "activer")
            print(f"Compte « {args.nom} » {'réactivé' if args.commande == 'activer' else 'désactivé'}.")
        else:
            for row in list_accounts(repo):
                state = "actif" if row["active"] else "désactivé"
                print(f"{row['username']}\t{ROLE_LABELS.get(row['role'], row['role'])}\t{state}")
    except StoreError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
