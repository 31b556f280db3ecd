"""Rendered fragments memoized under a digest of everything they are rendered from.

A list page spends most of its time in the template engine, not in the database: the portfolio of
30 entries took 3 ms of queries and 20 ms of rendering. Yet people reload the same page over and
over (a secretary's queue, a provider's grid, a specialist's portfolio) while nothing in it
changed. ``render_fragment`` renders such a page's body once and serves it again for as long as its
inputs are the same:

    body = render_fragment(request, "portfolio/_portfolio_body.html", {"cycle": cycle, ...})
    return render(request, "portfolio/portfolio.html", {"cycle": cycle, "body": body})

Why a served fragment is never stale: there is no invalidation to forget. The key is a digest of
the whole context (every loaded field of every model in it, its related and prefetched objects,
pages, dataclasses, plain values), the active language, the day and the source of the templates and code. And the
fragment must be a pure function of that context:

* it is rendered without the request, so no context processor (user, messages, a11y) can leak in;
  the CSRF token is rendered as a placeholder and put in per request;
* rendering it may not read the database: a lazy relation or ``.all()`` in the template would read
  data that the digest did not see. Such a render is served but not stored, with a warning; under
  ``FRAGMENTS_STRICT`` (the test settings) it is an error, so a test of the page catches it.
  What the template or serializer reads through another cache (the rule sets of
  ``reference.rules``) is not a query when that cache is warm, so neither guard sees it: compute
  such values in the view and pass them in the context (the plan's ``awaiting_results_until``, the
  results page's ``due_on``), or do not memoize (the applications API and its ``waiting_for``).

What the fragment costs is then the queries of its context (they still run: they are what the
digest is made of) and one cache read. A page of rows passed as a lazy queryset (a ``Page`` of
one, or the queryset itself) costs less on PostgreSQL: it is digested by its row-version stamp
(``nmo_portal.lib.stamps``: the same query selecting only keys, annotations and row versions), and
its rows are loaded and built into models only when the fragment is drawn; the rows of a prepared
query (``nmo_portal.lib.prepared.Rows``) likewise, their stamp's statement compiled once. When the
cache is down the fragment is rendered (issue 9: no page fails because of Redis).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache as memoize
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from rest_framework.serializers import Serializer

from nmo_portal.context_processors import layout
from nmo_portal.lib.csrf import csrf_token
from nmo_portal.lib.prepared import Rows
from nmo_portal.lib.rendered import RawJSON
from nmo_portal.lib.stamps import Stamp, stamp_of, uncovered
from nmo_portal.lib.versioned_cache import VersionedCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

FRAGMENT_TIMEOUT = 600
# Letters only, so that the escaping of {% csrf_token %} leaves it as it is.
CSRF_PLACEHOLDER = "csrfTokenPlaceholderOfAMemoizedFragment"
_CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()

_PLAIN = (bool, int, float, str, bytes, Decimal, date, datetime, time, timedelta, uuid.UUID)
# Exactly these types (not subclasses, whose repr may not show their value): one repr says it all.
_PLAIN_TYPES = frozenset({*_PLAIN, type(None)})


class FragmentReadTheDatabase(RuntimeError):
    """A memoized fragment's template read the database: its output depends on more than its key."""


class FragmentUndigestible(TypeError):
    """A context value of a type the digest does not know: pass plain data, models or pages."""


class FragmentShowsUnstampedRows(RuntimeError):
    """A queryset digested by its stamp loaded a row the stamp did not cover (``stamps.uncovered``)."""


# --- the digest -----------------------------------------------------------------------------------
class Digested(dict[str, Any]):
    """Plain data digested once, where it is made (before it is cached, say), so that every page
    drawn from it takes the digest instead of walking the data again: the plan page's 150 catalogue
    choices. The data must not change afterwards (it is built, cached and read, never edited)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.digest = "digested:" + _digest_of(dict(data), [], _Walk(stamping=False))


@dataclasses.dataclass
class _Walk:
    """What one digest has walked: the models it has seen (a model met again is named, not walked),
    and, when ``stamping``, the querysets it digested by their row-version stamp (``stamps``): they
    are loaded only if the fragment is drawn (``_load_stamped``)."""

    stamping: bool
    seen: set[int] = dataclasses.field(default_factory=set)
    language: str | None = None
    stamped: dict[int, tuple[int, QuerySet[Any] | Rows[Any], Stamp]] = dataclasses.field(default_factory=dict)


def context_digest(template_name: str, context: Mapping[str, Any]) -> str:
    return _context_key(template_name, context, _Walk(stamping=False))


def _context_key(template_name: str, context: Mapping[str, Any], walk: _Walk) -> str:
    # today: a property drawn from the date (days left, the cycle's year) turns over at midnight
    tokens = [template_name, get_language() or "", code_digest(), timezone.localdate().isoformat()]
    return _digest_of(dict(context), tokens, walk)


def _digest_of(value: Any, tokens: list[str], walk: _Walk) -> str:
    """The SHA-256 of ``tokens`` followed by everything ``value`` holds."""
    _digest_into(value, tokens, walk)
    return hashlib.sha256("\x1f".join(tokens).encode()).hexdigest()


def _digest_into(value: Any, out: list[str], walk: _Walk) -> None:
    kind = type(value)
    if kind in _PLAIN_TYPES:  # the common value: one set lookup
        out.append(repr(value))
    else:
        digester = _DIGESTERS.get(kind)
        if digester is None:
            digester = _DIGESTERS[kind] = _digester_for(kind)
        digester(value, out, walk)


_Digester = Callable[[Any, list[str], _Walk], None]
_DIGESTERS: dict[type, _Digester] = {}


def _digester_for(kind: type) -> _Digester:
    """How a value of this type is digested (``_DIGEST_RULES``), decided once per type: a page walks
    some hundred values of a handful of types."""
    for types, digester in _DIGEST_RULES:
        if issubclass(kind, types):
            return digester
    if dataclasses.is_dataclass(kind):
        return _dataclass_into
    return _undigestible


def _page_into(value: Page[Any], out: list[str], walk: _Walk) -> None:
    out.append(f"page {value.number}/{value.paginator.num_pages} of {value.paginator.count}")
    rows = value.object_list
    _digest_into(rows if isinstance(rows, QuerySet | Rows) else list(rows), out, walk)


def _set_into(value: set[Any] | frozenset[Any], out: list[str], walk: _Walk) -> None:
    # each member digested like any value (a model's repr names it, not its state), in an order
    # that does not depend on the set's
    members = []
    for item in value:
        member: list[str] = []
        _digest_into(item, member, walk)
        members.append("\x1e".join(member))
    out.append("{" + ",".join(sorted(members)) + "}")


def _dataclass_into(value: Any, out: list[str], walk: _Walk) -> None:
    out.append(type(value).__qualname__)
    for field in dataclasses.fields(value):
        out.append(field.name)
        _digest_into(getattr(value, field.name), out, walk)


def _undigestible(value: Any, out: list[str], walk: _Walk) -> None:
    raise FragmentUndigestible(f"a fragment's context cannot hold {type(value).__qualname__}")


def _mapping_into(value: Mapping[Any, Any], out: list[str], walk: _Walk) -> None:
    plain_values = type(value) is dict and _PLAIN_TYPES.issuperset(map(type, value.values()))
    if plain_values and _PLAIN_TYPES.issuperset(map(type, value)):
        # plain keys and values (a menu entry, a filter's choice): one repr, in the dict's order
        out.append("plain" + repr(value))
        return
    out.append("{")
    for key in sorted(value, key=str):
        out.append(str(key))
        _digest_into(value[key], out, walk)
    out.append("}")


def _items_into(value: list[Any] | tuple[Any, ...], out: list[str], walk: _Walk) -> None:
    if _PLAIN_TYPES.issuperset(map(type, value)):
        out.append("plain" + repr(value))
        return
    out.append("[")
    for item in value:
        _digest_into(item, out, walk)
    out.append("]")


# The text of lazy translations (choice labels) by the object and the language: translating one
# asks each of the catalogues in turn, some 20 calls, for each label of every page. A lazy text is
# a function of its arguments and the language; an entry holds its object, so that no other object
# can take its id while the entry is there.
_LAZY_TEXTS: dict[tuple[int, str], tuple[Promise, str]] = {}
_LAZY_TEXTS_MAX = 4096


def _lazy_text(value: Promise, walk: _Walk) -> str:
    if walk.language is None:
        walk.language = get_language() or ""
    key = (id(value), walk.language)
    known = _LAZY_TEXTS.get(key)
    if known is None:
        if len(_LAZY_TEXTS) >= _LAZY_TEXTS_MAX:
            _LAZY_TEXTS.clear()
        known = _LAZY_TEXTS[key] = (value, str(value))
    return known[1]


def _queryset_into(queryset: QuerySet[Any], out: list[str], walk: _Walk) -> None:
    """An unevaluated queryset by its stamp (one narrow query; its rows are loaded only if the
    fragment is drawn), where it can be stamped and the memo is on; else by its rows, loaded now."""
    known = walk.stamped.get(id(queryset))
    if known is not None:
        out.append(f"<stamped {known[0]}>")
        return
    stamp = stamp_of(queryset) if walk.stamping and queryset._result_cache is None else None
    if stamp is None:
        _digest_into(list(queryset), out, walk)
        return
    walk.stamped[id(queryset)] = (len(walk.stamped), queryset, stamp)
    # what is loaded of each row is the code's (its digest is in the key); which rows and versions
    out.append(f"stamp {queryset.model._meta.label} {queryset.query.select_related!r} {stamp.rows!r}")


def _rows_into(rows: Rows[Any], out: list[str], walk: _Walk) -> None:
    """A prepared query's rows (``prepared.Rows``): by their stamp, like a queryset's, its statement
    compiled once; by their values where they cannot be stamped or are loaded already."""
    known = walk.stamped.get(id(rows))
    if known is not None:
        out.append(f"<stamped {known[0]}>")
        return
    stamp = rows.stamp() if walk.stamping and not rows.loaded else None
    if stamp is None:
        _digest_into(rows.load(), out, walk)
        return
    walk.stamped[id(rows)] = (len(walk.stamped), rows, stamp)
    out.append(f"stamp {rows.description} {stamp.rows!r}")


def _load_stamped(name: str, walk: _Walk) -> bool:
    """Load the querysets that were digested by their stamps, before the fragment is drawn from
    them; False (not to be stored) when a loaded row holds a model its stamp did not cover."""
    missing: list[str] = []
    for _, source, stamp in walk.stamped.values():
        # loaded here, outside the guard on drawing: the template reads what is loaded
        loaded = source.load() if isinstance(source, Rows) else list(source)
        missing += uncovered(loaded, stamp)
    if not missing:
        return True
    message = f"{name} shows rows its stamp did not cover: {', '.join(missing[:5])}"
    return _not_stored(FragmentShowsUnstampedRows, message, "digest them by value (pass list(...))")


def _model_into(instance: Model, out: list[str], walk: _Walk) -> None:
    """Every attribute the instance carries (fields, annotations, cached values), then its related
    objects that were loaded (select_related or accessed) and its prefetched lists. A row's plain
    values go into one repr (a list page digests some 2 000 of them)."""
    if id(instance) in walk.seen:
        out.append(f"<{instance._meta.label} {instance.pk}>")
        return
    walk.seen.add(id(instance))
    fields = {name: value for name, value in instance.__dict__.items() if name[0] != "_"}
    if all(map(_PLAIN_TYPES.__contains__, map(type, fields.values()))):
        # the common row, all plain values: one repr of the dict, the checks above run in C
        out.append(instance._meta.label + repr(fields))
    else:
        plain: list[Any] = [instance._meta.label]
        for name, value in fields.items():
            if type(value) in _PLAIN_TYPES:
                plain.append((name, value))
            else:
                nested: list[str] = []
                _digest_into(value, nested, walk)
                plain.append((name, nested))
        out.append(repr(plain))
    for name, related in instance._state.fields_cache.items():
        out.append(f"->{name}")
        _digest_into(related, out, walk)
    for name, rows in getattr(instance, "_prefetched_objects_cache", {}).items():
        out.append(f"=>{name}")
        _digest_into(list(rows), out, walk)


# Each kind of value and how it is digested, the first that matches. The order matters: a Digested
# is a dict that carries its digest; a TextChoices member is a str and an IntEnum an int, digested
# by their repr before the Enum rule.
_DIGEST_RULES: list[tuple[type | tuple[type, ...], _Digester]] = [
    (Digested, lambda value, out, walk: out.append(value.digest)),
    (_PLAIN, lambda value, out, walk: out.append(repr(value))),
    (enum.Enum, lambda value, out, walk: out.append(repr(value.value))),
    (Promise, lambda value, out, walk: out.append(repr(_lazy_text(value, walk)))),  # a lazy translation
    (Model, _model_into),
    (FieldFile, lambda value, out, walk: out.append(repr(value.name))),
    (Page, _page_into),
    (QuerySet, _queryset_into),
    (Rows, _rows_into),
    (Mapping, _mapping_into),
    ((list, tuple), _items_into),
    ((set, frozenset), _set_into),
]


@memoize
def code_digest() -> str:
    """The source of every template and Python module of the project: a release that changes how a
    fragment is drawn (or an answer serialized) never serves one made by the release before."""
    digest = hashlib.sha256()
    engines: list[dict[str, Any]] = settings.TEMPLATES
    roots = [Path(directory) for engine in engines for directory in engine.get("DIRS", [])]
    roots += [
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(settings.BASE_DIR)
    ]
    for root in sorted(set(roots)):
        for path in sorted(p for p in root.rglob("*") if p.suffix in {".html", ".txt", ".py"} and p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- rendering ----------------------------------------------------------------------------------------
def render_fragment(request: HttpRequest, template_name: str, context: Mapping[str, Any]) -> SafeString:
    """The template rendered from the context alone, from the cache when its inputs were seen before."""
    key, walk = _memo_key("fragment", template_name, context)
    html = _memoized(
        key, template_name, lambda: _drawn(template_name, walk, lambda: _render_pure(template_name, context))
    )
    return _with_csrf_token(request, html)


def _memo_key(kind: str, name: str, context: Mapping[str, Any]) -> tuple[str, _Walk]:
    """The memo's key for ``context`` (lazy pages and querysets are read or stamped here, never in
    the template), and the walk that made it."""
    walk = _Walk(stamping=getattr(settings, "FRAGMENT_CACHE", True))
    return f"{kind}:{_context_key(name, context, walk)}", walk


def _drawn(name: str, walk: _Walk, make: Callable[[], tuple[T, bool]]) -> tuple[T, bool]:
    """``make()`` once the rows digested by their stamps are loaded; stored only when it read
    nothing and showed no row its stamps did not cover."""
    covered = _load_stamped(name, walk)
    value, pure = make()
    return value, pure and covered


def _memoized(key: str, name: str, make: Callable[[], tuple[T, bool]]) -> T:
    """The value under ``key``, else made, and stored when making it read nothing (``_pure``). The
    memo off (FRAGMENT_CACHE, the bench) or the cache down: made every time."""
    if not getattr(settings, "FRAGMENT_CACHE", True):
        return make()[0]
    try:
        value: T | None = cache.get(key)
    except Exception:
        logger.warning("cache unavailable, making %s", name, exc_info=True)
        return make()[0]
    if value is None:
        value, pure = make()
        if pure:
            try:
                cache.set(key, value, FRAGMENT_TIMEOUT)
            except Exception:
                logger.warning("cache unavailable, %s not stored", name, exc_info=True)
    return value


def _with_csrf_token(request: HttpRequest, html: str) -> SafeString:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, csrf_token(request))
    # our own template's output, escaped when it was rendered
    return mark_safe(html)


def _page_with_csrf_token(request: HttpRequest, content: bytes) -> bytes:
    if _CSRF_PLACEHOLDER_BYTES in content:
        content = content.replace(_CSRF_PLACEHOLDER_BYTES, csrf_token(request).encode())
    return content


def _render_pure(template_name: str, context: Mapping[str, Any]) -> tuple[str, bool]:
    with _database_reads() as queries:
        html = render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER})
    return html, _pure(template_name, queries)


@contextmanager
def _database_reads() -> Iterator[list[str]]:
    queries: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, ctx: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(record):
        yield queries


def _pure(name: str, queries: list[str]) -> bool:
    if not queries:
        return True
    message = f"{name} read the database while being made ({len(queries)} queries, first: {queries[0][:200]})"
    return _not_stored(FragmentReadTheDatabase, message, "load what it shows in the view (select_related, prefetch)")


def _not_stored(error: type[RuntimeError], message: str, advice: str) -> bool:
    """What was made may depend on more than its key: an error under ``FRAGMENTS_STRICT`` (the
    tests), else served but not stored, with a warning."""
    if getattr(settings, "FRAGMENTS_STRICT", False):
        raise error(f"{message}; {advice}")
    logger.warning("%s: served, not stored", message)
    return False


# --- whole pages ---------------------------------------------------------------------------------------
def render_page(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    body: tuple[str, Mapping[str, Any]] | None = None,
    build: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page ``template_name`` (a layout around ``{{ body }}``) with its body, memoized whole: the
    key is the digest of the body's context, the page's own context and the layout's inputs (who is
    signed in and his name, his menu, the path, the a11y switch: ``context_processors.layout``), so a
    page asked again costs its queries and one cache read, not two templates.

    Both are drawn from those values alone, never from the request, under the rules of a fragment
    (no database read, the CSRF token put in per response). A page with messages waiting is drawn
    for its request only (a message is shown once), the body still from the fragment memo.

    With ``build``, the body's context is ``build(inputs)``: the key is made of the inputs, and
    what is computed from them (totals, charts) is computed only when the page is drawn. ``build``
    must be a function of its inputs alone: it may not query (the same guard applies), and what it
    reads through another cache (the rule sets) must be passed in the inputs instead."""
    if len(messages.get_messages(request)):
        page_context = dict(context)
        if body is not None:
            body_template, body_inputs = body
            page_context["body"] = render_fragment(request, body_template, build(body_inputs) if build else body_inputs)
        return render(request, template_name, page_context, status=status)
    inputs = {"layout": layout(request), "page": context, "body": body, "build": _qualified_name(build)}
    key, walk = _memo_key("page", template_name, inputs)
    content = _memoized(
        key, template_name, lambda: _drawn(template_name, walk, lambda: _render_page_pure(template_name, inputs, build))
    )
    return HttpResponse(_page_with_csrf_token(request, content), status=status)


def render_versioned_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], Mapping[str, Any]],
    *,
    family: VersionedCache,
    key: str,
    timeout: int,
) -> HttpResponse:
    """``render_page`` for a page drawn from an entry of a versioned cache (the catalogue's answer to
    a query, under ``key``): the page is kept in that family beside the entry, under its key and the
    digest of the layout, so a page asked again is one read (the family's version and the page, in
    one MGET) instead of two (the answer, then the page's memo). A change that bumps the family
    makes both stale at once. ``context()`` is called only when the page is drawn, which follows the
    rules of ``render_page`` (no database read); with messages waiting, or the memo off, it is
    ``render_page``."""
    if not getattr(settings, "FRAGMENT_CACHE", True) or len(messages.get_messages(request)):
        return render_page(request, template_name, context())
    inputs: dict[str, Any] = {"layout": layout(request), "page": None, "body": None, "build": ""}
    page_key = f"page:{key}:{context_digest(template_name, inputs['layout'])}"

    def draw() -> tuple[bytes, bool]:
        inputs["page"] = context()
        return _render_page_pure(template_name, inputs, None)

    return HttpResponse(_page_with_csrf_token(request, family.get_or_make(page_key, draw, timeout=timeout)))


def _qualified_name(function: Callable[..., Any] | None) -> str:
    return "" if function is None else f"{function.__module__}.{function.__qualname__}"


def _render_page_pure(
    template_name: str, inputs: dict[str, Any], build: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None
) -> tuple[bytes, bool]:
    """The page as the bytes of its response: kept so, a page served again is not decoded from
    UTF-8 on its way out of the cache (40 us for 40 kB of Cyrillic) and encoded again."""
    page_context: dict[str, Any] = {**inputs["layout"], **inputs["page"], "csrf_token": CSRF_PLACEHOLDER}
    with _database_reads() as queries:
        if inputs["body"] is not None:
            body_template, body_context = inputs["body"]
            if build is not None:
                body_context = build(body_context)
            # our own template's output, escaped when it was rendered
            page_context["body"] = mark_safe(
                render_to_string(body_template, {**body_context, "csrf_token": CSRF_PLACEHOLDER})
            )
        html = render_to_string(template_name, page_context)
    return html.encode(), _pure(template_name, queries)


# --- API answers -------------------------------------------------------------------------------------
def serialized(
    serializer_class: type[Serializer[Any]],
    instance: Any,
    *,
    many: bool = False,
    context: Mapping[str, Any] | None = None,
    build: Callable[[Any], Any] | None = None,
) -> RawJSON:
    """``serializer_class(instance, many=many, context=context).data``, memoized like a fragment: the
    same digest of everything it is made from (the instance and the context: never the request), the
    same rule that making it may not read the database. With ``build``, what is serialized is
    ``build(instance)``, computed only when the answer is made (the portfolio from its inputs).

    Kept and answered as the JSON it renders to (``rendered.RawJSON``: a Response's data, or the
    ``results`` of a page); ``.data`` reads it back."""
    context = dict(context or {})
    inputs: dict[str, Any] = {"many": many, "context": context}
    name = f"{serializer_class.__module__}.{serializer_class.__qualname__}"
    made_of = {"instance": instance, **inputs, **({"build": _qualified_name(build)} if build else {})}
    key, walk = _memo_key("serialized", name, made_of)

    def make() -> tuple[RawJSON, bool]:
        return _serialize_pure(name, lambda: serializer_class(build(instance) if build else instance, **inputs).data)

    return _memoized(key, name, lambda: _drawn(name, walk, make))


def _serialize_pure(name: str, make: Callable[[], Any]) -> tuple[RawJSON, bool]:
    with _database_reads() as queries:
        # encoded inside the guard, like the data: what is kept is the JSON
        rendered = RawJSON.of(make())
    return rendered, _pure(name, queries)
