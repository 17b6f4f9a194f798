"""Where a feed reads its rows, safely: allowed addresses and folders, read-only, capped.

A database feed gives a SQLAlchemy URL; only PostgreSQL and SQLite are allowed. A SQLite
database, like a CSV or XLSX file, must lie inside one of the configured feed roots once
every symlink is followed, and never be the workbench's own database. The query runs in a
read-only transaction (PostgreSQL: SET TRANSACTION READ ONLY with a statement timeout;
SQLite: opened read-only with query_only on and a deadline), so a writing statement the
text check missed is still refused by the database. A run reads at most a set number of
rows. The URL is stored encrypted and never shown, logged or put in a message: any address
echoed back has its password masked.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from openpyxl import load_workbook
from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from workbench.analysis.feed_rows import PATH_MAX, RawRow
from workbench.services.errors import ServiceError

ALLOWED_SCHEMES = ("postgresql", "postgresql+psycopg", "sqlite")
FILE_SUFFIXES = (".csv", ".xlsx")
URL_MAX = 1000
FILE_MAX_BYTES = 20 * 1024 * 1024
COLUMNS_NEEDED = "The source must give columns named date and value (and site, if it has one)"
UNREADABLE_URL = (
    "The stored database address can no longer be read (the feed key changed). "
    "Enter the address again."
)
_CREDENTIALS = re.compile(r"(//[^:/@\s]*:)[^@\s]*@")


@dataclass(frozen=True)
class Limits:
    """What a run may read: the folders, the rows, the seconds, and the app's own database."""

    roots: tuple[Path, ...]
    max_rows: int
    timeout_seconds: int
    own_database: str


# --------------------------------------------------------------------------- secrets


@cache
def fernet_for(key: str) -> Fernet:
    """Return the cipher for feed addresses, derived from the configured feed key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"workbench feed address")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(key.encode())))


def encrypt_url(url: str, key: str) -> str:
    """Return the address as a Fernet token."""
    return fernet_for(key).encrypt(url.encode()).decode()


def decrypt_url(token: str, key: str) -> str:
    """Return the stored address, or raise ServiceError when it cannot be read."""
    try:
        return fernet_for(key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise ServiceError(UNREADABLE_URL) from None


def mask(text: str) -> str:
    """Hide any password written into an address within the text (user:***@host)."""
    return _CREDENTIALS.sub(r"\1***@", text)


def scrub(message: str, url: URL | None) -> str:
    """A driver's message made safe to show: no password, no address with one, one line."""
    text = mask(message.splitlines()[0] if message else "")
    if url is not None and url.password:
        text = text.replace(str(url.password), "***")
    return text[:300]


# --------------------------------------------------------------------------- places


def inside_roots(raw: str, roots: Sequence[Path], what: str = "The file") -> Path:
    """Return the real path of `raw` if it lies inside a feed root, or refuse it.

    A relative path is taken from the first root; symlinks are followed before the check,
    so neither ../ nor a link can lead out.
    """
    text = raw.strip()
    if not text:
        raise ServiceError(f"{what}: give its path on the server.", "file_path")
    if "\x00" in text or "://" in text or text.lower().startswith("file:"):
        raise ServiceError(f"{what}: give a path on the server, not an address.", "file_path")
    if not roots:
        raise ServiceError("No feed folder is configured (WORKBENCH_FEED_ROOTS).", "file_path")
    given = Path(text)
    candidate = given if given.is_absolute() else roots[0] / given
    real = Path(os.path.realpath(candidate))
    for root in roots:
        if real.is_relative_to(Path(os.path.realpath(root))):
            return real
    folders = ", ".join(str(root) for root in roots)
    raise ServiceError(f"{what} must lie inside the feed folder ({folders}).", "file_path")


def check_file_path(raw: str, roots: Sequence[Path]) -> Path:
    """Check a file feed's path: a .csv or .xlsx inside a feed root."""
    if len(raw) > PATH_MAX:
        raise ServiceError(f"Keep the path under {PATH_MAX} characters.", "file_path")
    path = inside_roots(raw, roots)
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise ServiceError("The file must be a .csv or an .xlsx file.", "file_path")
    return path


def _same_file(one: Path, database: str) -> bool:
    try:
        own = make_url(database)
    except ArgumentError:
        return False
    if not own.drivername.startswith("sqlite") or not own.database:
        return False
    return Path(os.path.realpath(own.database)) == one


def _same_postgres(url: URL, database: str) -> bool:
    try:
        own = make_url(database)
    except ArgumentError:
        return False
    if not own.drivername.startswith("postgresql"):
        return False
    local = {None, "", "localhost", "127.0.0.1", "::1"}
    same_host = (url.host or None) == (own.host or None) or (
        url.host in local and own.host in local
    )
    return same_host and (url.port or 5432) == (own.port or 5432) and url.database == own.database


def check_url(raw: str, limits: Limits) -> URL:
    """Parse and check a feed's database address; refuse it with a message naming why."""
    text = raw.strip()
    if not text:
        raise ServiceError("Enter the database address.", "database_url")
    if len(text) > URL_MAX:
        raise ServiceError(f"Keep the address under {URL_MAX} characters.", "database_url")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ServiceError(
            "That is not a database address; write it as "
            "postgresql+psycopg://user:password@host/database or sqlite:///path/to/file.sqlite3.",
            "database_url",
        ) from None
    scheme = url.drivername.lower()
    if scheme not in ALLOWED_SCHEMES:
        allowed = ", ".join(ALLOWED_SCHEMES)
        raise ServiceError(
            f"“{mask(scheme)[:40]}” addresses are not allowed; use one of: {allowed}.",
            "database_url",
        )
    if scheme == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise ServiceError("Give the SQLite database's file path.", "database_url")
        if url.query:
            raise ServiceError("Give the SQLite address without options after '?'.", "database_url")
        path = inside_roots(url.database, limits.roots, "The SQLite database")
        if _same_file(path, limits.own_database):
            raise ServiceError("A feed may not read the workbench's own database.", "database_url")
        return url.set(database=str(path))
    if not url.database or not url.host:
        raise ServiceError("Give the PostgreSQL host and database name.", "database_url")
    if _same_postgres(url, limits.own_database):
        raise ServiceError("A feed may not read the workbench's own database.", "database_url")
    return url


# --------------------------------------------------------------------------- reading


def _columns(names: Sequence[str]) -> tuple[int, int, int | None]:
    lowered = [str(name or "").strip().lower() for name in names]
    if "date" not in lowered or "value" not in lowered:
        given = ", ".join(str(name)[:30] for name in names) or "none"
        raise ServiceError(f"{COLUMNS_NEEDED}; it gave: {given}.")
    site = lowered.index("site") if "site" in lowered else None
    return lowered.index("date"), lowered.index("value"), site


def _capped(rows: Iterator[Sequence[Any]], names: Sequence[str], limits: Limits) -> list[RawRow]:
    on, value, site = _columns(names)
    found: list[RawRow] = []
    for number, cells in enumerate(rows, start=1):
        if number > limits.max_rows:
            raise ServiceError(
                f"The source gives more than {limits.max_rows:,} rows; read a shorter period."
            )

        def cell(index: int | None, cells: Sequence[Any] = cells) -> Any:
            return cells[index] if index is not None and index < len(cells) else None

        found.append(RawRow(number, cell(on), cell(value), cell(site)))
    return found


def _fetch(cursor: Any, size: int = 1000) -> Iterator[Sequence[Any]]:
    while batch := cursor.fetchmany(size):
        yield from batch


def read_sql(url: URL, query: str, limits: Limits) -> list[RawRow]:
    """Run the query read-only against the checked address and return its rows."""
    if url.drivername.lower() == "sqlite":
        return _read_sqlite(Path(str(url.database)), query, limits)
    return _read_postgres(url, query, limits)


def _read_postgres(url: URL, query: str, limits: Limits) -> list[RawRow]:
    timeout_ms = int(limits.timeout_seconds * 1000)
    try:
        connection = psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            dbname=url.database,
            user=url.username,
            password=url.password,
            connect_timeout=max(1, min(limits.timeout_seconds, 30)),
            # Read-only from the first statement, whatever the query says.
            options=f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}",
            application_name="workbench feed",
        )
    except psycopg.Error as error:
        raise ServiceError(f"The database could not be reached: {scrub(str(error), url)}") from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
            cursor.execute(query.encode())
            if cursor.description is None:
                raise ServiceError("The query returned no rows to read.")
            names = [column.name for column in cursor.description]
            return _capped(_fetch(cursor), names, limits)
    except psycopg.Error as error:
        raise ServiceError(f"The database refused the query: {scrub(str(error), url)}") from None
    finally:
        connection.rollback()
        connection.close()


def _read_sqlite(path: Path, query: str, limits: Limits) -> list[RawRow]:
    if not path.is_file():
        raise ServiceError("The SQLite database file does not exist.")
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5, check_same_thread=False
        )
    except sqlite3.Error as error:
        message = scrub(str(error), None)
        raise ServiceError(f"The SQLite database could not be opened: {message}") from None
    try:
        connection.execute("PRAGMA query_only = ON")
        # Called every 10,000 virtual machine steps: a non-zero answer stops the query.
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        cursor = connection.execute(query)
        if cursor.description is None:
            raise ServiceError("The query returned no rows to read.")
        names = [column[0] for column in cursor.description]
        return _capped(_fetch(cursor), names, limits)
    except sqlite3.Error as error:
        if time.monotonic() > deadline:
            raise ServiceError(
                f"The query ran longer than {limits.timeout_seconds} seconds and was stopped."
            ) from None
        raise ServiceError(f"The database refused the query: {scrub(str(error), None)}") from None
    finally:
        connection.close()


def read_file(path: Path, limits: Limits) -> list[RawRow]:
    """Read a CSV (UTF-8) or XLSX file whose first row names the columns."""
    if not path.is_file():
        raise ServiceError("The file does not exist (or is not a file).")
    if path.stat().st_size > FILE_MAX_BYTES:
        raise ServiceError(f"The file is larger than {FILE_MAX_BYTES // (1024 * 1024)} MB.")
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError("The file is not UTF-8 text; save it as CSV UTF-8.") from None
        reader = csv.reader(io.StringIO(text))
        try:
            header = next(reader, [])
            rows = _capped(reader, header, limits)
        except csv.Error as error:
            raise ServiceError(f"The file cannot be read as CSV: {error}.") from None
        # Row numbers count the file's lines, header included, as a spreadsheet shows them.
        return [RawRow(row.number + 1, row.on, row.value, row.site) for row in rows]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ServiceError("The file cannot be read as an Excel workbook (.xlsx).") from None
    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(cell or "") for cell in next(values, ())]
        rows = _capped(values, header, limits)
    finally:
        book.close()
    return [RawRow(row.number + 1, row.on, row.value, row.site) for row in rows]
