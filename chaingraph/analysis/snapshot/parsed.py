"""The analysis snapshot from the parsed files, in the pass beside the bulk load (#17).

:func:`~chaingraph.analysis.snapshot.index.compute` and
:func:`~chaingraph.analysis.snapshot.targets.compute_facts` start from a few whole-graph reads:
every subject's values of some properties (``SELECT ?s ?v WHERE { ?s cg:park ?v }`` …), the
instances of some classes, every label.  Reading them back out of the on-disk store after the
load took most of ``chaingraph build`` at 100k firms (about 2-10 µs per value).  :class:`Reads`
collects the same rows from the quads :func:`chaingraph.store.scan.scan` parses beside the bulk
load, and the snapshot is then made from them by the same functions
(:func:`chaingraph.project.firms`, :func:`~chaingraph.project.relations.edges_from_rows`,
:func:`~chaingraph.analysis.source.target_facts_from_rows` …).

The rows are those the store would return, up to their order, because the store holds the
parsed quads as they are, with three differences handled here:

* **a triple given twice** is one triple in the store and two rows here: every projection reads
  its rows as a set (it skips a value it has, or collects sets), so that changes nothing;
* **typed literals are stored in canonical form** (``"1.50"^^xsd:decimal`` reads back as
  ``1.5``, a date-time's offset as ``Z``): every literal of another datatype than ``xsd:string``
  or a language string goes through an in-memory Oxigraph store, which encodes terms as the
  on-disk one does, and is converted from what it reads back;
* **blank nodes get new names in the store**: a blank node where it would reach the snapshot
  (a company, a fact, a link, a product, a place …) makes the reads give up
  (:attr:`Reads.unsure`), and the snapshot is computed from the store as before.  Blank nodes
  used only to join (the evidence node between a link and its confidence) are fine.

Rows come in the store's order there, in file order here.  The projections sort what they
return, but a few keep the first of several values: the first of two values that compare equal
(``1`` and ``True``) or print alike (``1`` and ``"1"``, sorted by their text; labels are chosen
by their text), the last class of a fact typed twice.  Where the data has such a case the
answer depends on the store's order, so the reads give up as well (:func:`_order_free`,
:func:`_labels_order_free`).
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from chaingraph import project
from chaingraph.analysis.source import join_link_rows, target_facts_from_rows
from chaingraph.analysis.snapshot import files
from chaingraph.project.firms import FIRM_PROPERTIES
from chaingraph.project.labels import label_of, label_rank, labels_from_rows
from chaingraph.project.relations import edge_properties, edges_from_rows
from chaingraph.stats import COUNTED, write_counts
from chaingraph.store.query import plain_value
from chaingraph.store.scan import Reader

CG = "https://w3id.org/chaingraph/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
KINDS = ("referral", "supply", "relocation", "visit")
EDGE_CLASS = {"referral": CG + "Referral", "supply": CG + "Supply", "relocation": CG + "Relocation",
              "visit": CG + "Visit"}
CLASSES = {CG + "Company", CG + "SegmentLink", CG + "Place", *EDGE_CLASS.values()}
FIRM_PROPS = {key: CG + curie[3:] for key, curie in FIRM_PROPERTIES.items()}
OWN, SHARED = edge_properties(KINDS)
LINK_PROPS = {k: CG + k for k in ("firm", "segment", "basis", "product", "revenueShare", "evidence",
                                  "confidence", "sameRevenueLineAs", "partOf", "inRegion")}
_NamedNode, _BlankNode, _Literal = ox.NamedNode, ox.BlankNode, ox.Literal


class Unsure(Exception):
    """The parsed rows cannot be proven to be the store's (see the module text)."""


class Canonical:
    """Typed literals as the store gives them back: ``plain(literal)`` is the plain value
    :func:`chaingraph.store.select` returns for ``literal`` once stored (memoized)."""

    def __init__(self):
        self._store = ox.Store()
        self._s = ox.NamedNode("urn:chaingraph:canonical")
        self.memo: dict[tuple[str, str], object] = {}  # (lexical form, datatype) -> plain value
        self._memo = self.memo

    def plain(self, value: str, datatype: str):
        key = (value, datatype)
        out = self._memo.get(key)
        if out is None and key not in self._memo:
            lit = ox.Literal(value, datatype=ox.NamedNode(datatype))
            quad = ox.Quad(self._s, self._s, lit)
            self._store.add(quad)
            back = next(iter(self._store.quads_for_pattern(self._s, self._s, None))).object
            self._store.remove(ox.Quad(self._s, self._s, back))
            out = self._memo[key] = plain_value(back.value, back.datatype.value)
        return out


class Reads(Reader):
    """The whole-graph reads of the snapshot, collected from the parsed quads of every file
    (a :class:`chaingraph.store.scan.Reader`); :meth:`keep` writes the snapshot into the build."""

    def __init__(self, files_: list[Path] | None = None):
        self.types: dict[str, list[str]] = {c: [] for c in CLASSES}
        self.counted: dict[str, set[str]] = {CG + c: set() for c in COUNTED}  # the subjects stats counts
        self.triples: int | None = None
        self.values: dict[str, list[tuple]] = {}  # predicate -> [(subject, plain value)]
        self.products: list[tuple] = []  # (subject, value, is literal)
        self.label_rows: list[tuple] = []  # (subject, label, language or None)
        self.unsure: str | None = None
        self.made: str | None = None  # what keep() wrote, said by chaingraph build
        self.canonical = Canonical()
        self._table = self._make_table()
        self._cache: dict[str, object] = {}

    # ------------------------------------------------------------------ collecting

    def handlers(self, path: Path) -> dict[str, Callable]:
        return self._table

    def _give_up(self, why: str) -> None:
        if self.unsure is None:
            self.unsure = why

    def _plain(self, o, pred: str):
        """The plain value of object ``o`` (None after giving up on a blank node)."""
        cls = type(o)
        if cls is _NamedNode:
            return o.value
        if cls is _Literal:
            if o.language is not None:
                return o.value
            dt = o.datatype.value
            return o.value if dt == XSD_STRING else self.canonical.plain(o.value, dt)
        if pred == LINK_PROPS["evidence"]:
            return "_:" + o.value  # a join key only
        self._give_up(f"a blank node as value of <{pred}>")
        return None

    def _make_table(self) -> dict[str, Callable]:
        table: dict[str, Callable] = {}
        types = self.types

        counted = self.counted

        def on_type(q):
            o = q.object
            if type(o) is not _NamedNode:
                return
            c = o.value
            if c in counted:
                s = q.subject
                counted[c].add("_:" + s.value if type(s) is _BlankNode else s.value)
            if c in types:
                s = q.subject
                if type(s) is _BlankNode:
                    self._give_up(f"a blank node of class <{c}>")
                else:
                    types[c].append(s.value)

        table[RDF_TYPE] = on_type

        memo = self.canonical.memo
        canonical = self.canonical.plain

        def values_of(pred: str, blank_subjects: bool = False):
            rows = self.values.setdefault(pred, [])
            append = rows.append
            plain = self._plain
            joined = pred in _JOINED

            def on_value(q):
                s = q.subject
                if type(s) is _BlankNode:
                    if not blank_subjects:
                        return  # never read: a subject that matters is typed (checked) or an object (checked)
                    sv = "_:" + s.value
                else:
                    sv = s.value
                o = q.object
                t = type(o)
                if t is _NamedNode:
                    append((sv, o.value))
                elif t is _Literal and not joined:  # plain(o), inlined: most values are literals
                    if o.language is not None:
                        append((sv, o.value))
                    else:
                        dt = o.datatype.value
                        if dt == XSD_STRING:
                            append((sv, o.value))
                        else:
                            lex = o.value
                            v = memo.get((lex, dt), memo)
                            append((sv, canonical(lex, dt) if v is memo else v))
                elif t is _Literal:
                    # joined on in SPARQL, where a literal never equals an IRI: kept apart here
                    v = plain(o, pred)
                    if pred == LINK_PROPS["evidence"]:
                        return  # a literal is nobody's subject: it joins no confidence
                    if pred == LINK_PROPS["product"]:
                        append((sv, _LiteralProduct(v)))
                    elif v == _JOINED[pred]:
                        self._give_up(f"a literal spelled like <{v}>")
                    else:
                        append((sv, v))
                else:
                    append((sv, plain(o, pred)))

            return on_value

        for key, pred in FIRM_PROPS.items():
            if key != "products":
                table[pred] = values_of(pred)

        def on_tier(q, _plain_tier=table[FIRM_PROPS["tiers"]]):
            if type(q.subject) is _BlankNode and q.object == _LEADER:
                self._give_up("a blank node chain leader")
            _plain_tier(q)

        table[FIRM_PROPS["tiers"]] = on_tier
        products = self.products

        def on_makes(q):
            s = q.subject
            if type(s) is _BlankNode:
                return
            o = q.object
            products.append((s.value, self._plain(o, FIRM_PROPS["products"]), type(o) is _Literal))

        table[FIRM_PROPS["products"]] = on_makes
        for pred in (*OWN, *SHARED, *LINK_PROPS.values()):
            if pred not in table:
                table[pred] = values_of(pred, blank_subjects=pred == LINK_PROPS["confidence"])
        labels = self.label_rows

        def on_label(q):
            s = q.subject
            if type(s) is _BlankNode:
                return  # its label is read only for a blank node found elsewhere (which gives up)
            o = q.object
            if type(o) is _Literal:
                labels.append((s.value, self._plain(o, RDFS_LABEL), o.language))
            else:
                labels.append((s.value, self._plain(o, RDFS_LABEL), None))

        table[RDFS_LABEL] = on_label
        return table

    # ------------------------------------------------------------------ the rows of each query

    def _rows(self, pred: str, a: str = "s", b: str = "v") -> list[dict]:
        return [{a: s, b: v} for s, v in _dedup(self.values.get(pred, ()))]

    def firm_reads(self) -> dict:
        """:func:`chaingraph.project.firm_reads` of the parsed files."""
        if "reads" not in self._cache:
            rows = {}
            for key, pred in FIRM_PROPS.items():
                if key == "products":
                    rows[key] = [{"s": s, "v": v, "lit": lit} for s, v, lit in self.products]
                else:
                    rows[key] = self._rows(pred)
            for key, key_rows in rows.items():
                _order_free((r["s"], key, r["v"]) for r in key_rows)
            self._cache["reads"] = {"companies": set(self.types[CG + "Company"]), "rows": rows}
        return self._cache["reads"]

    def _label_rows(self) -> list[dict]:
        if "label_rows" not in self._cache:
            self._cache["label_rows"] = [{"s": s, "l": v, "lang": lang} for s, v, lang in self.label_rows]
        return self._cache["label_rows"]

    def labels(self) -> dict:
        """:func:`chaingraph.project.labels` of the whole graph."""
        if "labels" not in self._cache:
            rows = self._label_rows()
            _labels_order_free(rows, "s")
            self._cache["labels"] = labels_from_rows(rows)
        return self._cache["labels"]

    def relation_edges(self) -> list[dict]:
        """:func:`chaingraph.project.relation_edges` of the whole graph."""
        typed = [{"s": s, "c": EDGE_CLASS[k]} for k in KINDS for s in dict.fromkeys(self.types[EDGE_CLASS[k]])]
        facts = {r["s"] for r in typed}
        rows = [{"s": s, "p": p, "v": v} for p in sorted(OWN) for s, v in _dedup(self.values.get(p, ()))]
        rows += [{"s": s, "p": p, "v": v} for p in sorted(SHARED) for s, v in _dedup(self.values.get(p, ()))
                 if s in facts]
        if len(facts) != len(typed):
            raise Unsure("a relation fact of two classes")
        _order_free((r["s"], r["p"], r["v"]) for r in rows)
        return edges_from_rows(list(KINDS), typed, rows)

    def chain_leaders(self) -> list[str]:
        """:func:`chaingraph.project.chain_leaders` of the whole graph."""
        tier = {s for s, v in self.values.get(FIRM_PROPS["tiers"], ()) if v == CG + "ChainLeader"}
        referrals = set(self.types[CG + "Referral"])
        pulls = {s for s, v in self.values.get(CG + "referralKind", ()) if v == CG + "LeaderPull" and s in referrals}
        return sorted(tier | {v for s, v in self.values.get(CG + "referrer", ()) if s in pulls})

    def target_facts(self) -> dict:
        """:func:`chaingraph.analysis.source.query_target_facts` of the whole graph."""
        links = set(self.types[CG + "SegmentLink"])
        v = self.values

        def rows(pred, a="l", b="v", k=None, p=None):
            out = [{a: s, b: x} for s, x in _dedup(v.get(pred, ())) if s in links]
            if k is not None:
                for r in out:
                    r.setdefault("p", p)
                    r.setdefault("v", None)
                    r["k"] = k
            return out

        named = [(s, x) for s, x in _dedup(v.get(LINK_PROPS["product"], ())) if s in links]
        wanted = {x for _, x in named if type(x) is not _LiteralProduct}
        label_of: dict[str, list] = {}
        for r in self._label_rows():
            if r["s"] in wanted:
                label_of.setdefault(r["s"], []).append(r)
        product_labels = [{"l": s, "k": "label", "p": x, "v": r["l"], "lang": r["lang"]}
                          for s, x in named if x in wanted for r in label_of.get(x, ())]
        products = [{"l": s, "k": "product", "p": x[0] if type(x) is _LiteralProduct else x, "v": None}
                    for s, x in named]
        conf_of: dict[str, list] = {}
        for e, c in _dedup(v.get(LINK_PROPS["confidence"], ())):
            conf_of.setdefault(e, []).append(c)
        confs = [{"l": s, "k": "conf", "p": None, "v": c} for s, e in _dedup(v.get(LINK_PROPS["evidence"], ()))
                 if s in links for c in conf_of.get(e, ())]
        branches = [rows(LINK_PROPS["basis"], k="basis"), products, product_labels,
                    rows(LINK_PROPS["revenueShare"], k="share"), confs, rows(LINK_PROPS["sameRevenueLineAs"], k="same")]
        firm_rows = rows(LINK_PROPS["firm"], b="f")
        segment_rows = rows(LINK_PROPS["segment"], b="s")
        places = sorted(set(self.types[CG + "Place"]))
        every = self.labels()
        lab = {p: every[p] for p in places if p in every}
        parts = {"partOf": self._rows(LINK_PROPS["partOf"], "a", "b"), "inRegion": self._rows(LINK_PROPS["inRegion"], "a", "b")}

        for k, branch in zip(("basis", "share", "same"), (branches[0], branches[3], branches[5])):
            _order_free((r["l"], k, r["v"]) for r in branch)
        _labels_order_free([{"s": r["p"], "l": r["v"], "lang": r["lang"]} for r in product_labels], "s")
        _order_free((r["l"], "product", r["p"]) for r in products)
        return target_facts_from_rows(join_link_rows(links, firm_rows, segment_rows, branches), places, lab, parts)

    # ------------------------------------------------------------------ the build's files

    def snapshot(self) -> tuple[dict, dict] | None:
        """(the analysis index, the stored target facts) of the parsed files, None when the reads
        cannot be proven to be the store's (:attr:`unsure`)."""
        from chaingraph.analysis.snapshot.index import compute_firms, compute_relations
        from chaingraph.analysis.snapshot.targets import compute_facts

        if self.unsure is not None:
            return None

        def relations():
            return (compute_relations(None, set(self.types[CG + "Company"]), parsed=self),
                    compute_facts(None, facts=self.target_facts()))

        try:
            self.labels()  # both halves read them: read once, before the fork
            other = _Forked(relations)
            data = compute_firms(None, parsed=self)
            rel, facts = other.result()
        except Unsure as exc:
            self._give_up(str(exc))
            return None
        data.update(rel)
        return data, facts

    def finish(self) -> None:
        """Compute the snapshot at the end of the pass, still beside the bulk load."""
        t = time.perf_counter()
        self._made = self.snapshot()
        self._seconds = time.perf_counter() - t
        labels = self._cache.get("labels")
        self.values.clear()
        self.label_rows.clear()
        self.products.clear()
        self._cache.clear()
        if labels is not None:
            self._cache["labels"] = labels  # for counts(), once the load has said how many triples

    def counts(self) -> list[dict]:
        """:func:`chaingraph.stats.graph_stats` of the whole graph: the distinct subjects of each
        counted class (a blank node is one node per file, as in the store), the triples the store
        holds (told by :meth:`loaded`)."""
        every = self.labels()
        rows = [{"class": name, "label": label_of(every.get(CG + name), CG + name), "count": len(self.counted[CG + name])}
                for name in COUNTED]
        rows.append({"class": "triples", "label": "三元组", "count": int(self.triples)})
        return rows

    def loaded(self, build: Path, triples: int) -> None:
        """The store is loaded: a child process computes the context facts from it (SPARQL, as
        before) while this process finishes the pass — on another core, since two threads of one
        process would take turns."""
        self.triples = triples
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p or os.getcwd() for p in sys.path))
        try:
            self._side = subprocess.Popen([sys.executable, "-c", _SIDE, str(build)], env=env,
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
        except OSError:
            self._side = None

    def keep(self, build: Path) -> None:
        """Write the analysis index and the target facts into ``build`` (nothing when unsure or
        when the pass failed: the first analysis computes them from the store), once the child
        computing the context facts is done (it writes them into ``build`` itself; if it failed
        they are computed from the store when first needed), and the counts of ``stats``."""
        from chaingraph.analysis.snapshot import index, targets

        side = getattr(self, "_side", None)
        if side is not None:
            side.wait()
        t = time.perf_counter()
        made = getattr(self, "_made", None)
        if made is None:
            return
        data, facts = made
        index.write(Path(build), data)
        files.write(Path(build), facts, targets.FACTS_FILE)
        if self.triples is not None and "labels" in self._cache:
            write_counts(Path(build), self.counts())
        self.made = (f"indexed {len(data['firms']):,} firms, {len(data['edges']['fact']):,} relations and "
                     f"{facts['count']:,} segment links from the files parsed beside the load "
                     f"({self._seconds:.1f} s beside it, {time.perf_counter() - t:.1f} s to write)")


_SIDE = """import sys
from pathlib import Path
from chaingraph.analysis.snapshot.parsed import side_files
side_files(Path(sys.argv[1]))
"""


def side_files(build: Path) -> None:
    """What :meth:`Reads.loaded` has a child process compute from the loaded (not yet live)
    store in ``build``: the context facts (``context.marshal``), written atomically into
    ``build`` — exactly what the first command would compute."""
    from chaingraph.analysis.snapshot.context import CONTEXT_FILE, compute_context
    from chaingraph.store.disk import open_build

    graph = open_build(build)
    files.write(build, compute_context(graph), CONTEXT_FILE)


_LEADER = ox.NamedNode(CG + "ChainLeader")
_JOINED = {FIRM_PROPS["tiers"]: CG + "ChainLeader", CG + "referralKind": CG + "LeaderPull",
           LINK_PROPS["product"]: None, LINK_PROPS["evidence"]: None}
"""Properties whose objects the SPARQL reads join on (an IRI constant, a label, a confidence)."""


class _LiteralProduct(tuple):
    """A literal ``cg:product`` (its plain value first): labels never join to it."""

    def __new__(cls, value):
        return super().__new__(cls, (value,))


class _Forked:
    """``fn()`` computed by a forked copy of this process (POSIX) while the caller computes
    something else: the snapshot's relation half (edges, tie graph, target facts) beside its firm
    half, on the other core, from the rows the fork shares copy-on-write.  :meth:`result` gives
    ``fn()``'s answer (sent back with marshal) or raises what it raised as :class:`Unsure`; if the
    fork cannot be made or its answer does not arrive, ``fn()`` is computed here instead."""

    def __init__(self, fn: Callable):
        self.fn, self.process = fn, None
        if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
            return
        context = multiprocessing.get_context("fork")  # fork: the child shares the rows, unpickled
        self.answer, sender = context.Pipe(duplex=False)
        self.started = time.perf_counter()
        try:
            with warnings.catch_warnings():  # 3.12+ warns of forking a process with threads: the
                warnings.simplefilter("ignore", DeprecationWarning)  # child runs Python only
                self.process = context.Process(target=_send, args=(fn, sender), daemon=True)
                self.process.start()
        except OSError:
            self.process = None
        sender.close()

    def result(self):
        if self.process is None:
            return self.fn()
        # the answer in a generous time (the caller's own half took about as long), else the
        # child is given up (a fork of a process with threads could in principle hang)
        limit = 60 + 10 * (time.perf_counter() - self.started)
        try:
            kind, value = marshal.loads(self.answer.recv_bytes()) if self.answer.poll(limit) else (None, None)
        except (EOFError, OSError, ValueError, TypeError):
            kind, value = None, None
        finally:
            self.answer.close()
            self.process.kill()  # gone already when it answered
            self.process.join()
        if kind == "ok":
            return value
        if kind == "unsure":
            raise Unsure(value)
        return self.fn()


def _send(fn: Callable, sender) -> None:
    """The forked child's work: ``fn()``'s answer (or its :class:`Unsure`) sent marshalled."""
    try:
        payload = marshal.dumps(("ok", fn()))
    except Unsure as exc:
        payload = marshal.dumps(("unsure", str(exc)))
    except BaseException:  # noqa: BLE001 - no answer: the parent computes it itself (and raises)
        return
    sender.send_bytes(payload)


def alongside(files_: list[Path]) -> Reads:
    """The reader ``chaingraph build`` runs beside the bulk load (see
    :func:`chaingraph.store.disk.build_store`)."""
    return Reads(files_)


def _dedup(pairs):
    """The rows as they are: a triple given twice (once in the store) gives two equal rows here,
    and every projection reads its rows as a set (it skips a value it has, or collects sets)."""
    return pairs


def _labels_order_free(rows: list[dict], subject: str) -> None:
    """Raise :class:`Unsure` when :func:`chaingraph.project.labels.best_labels` could choose by
    the order of the rows: two labels of one subject and rank that print alike although
    different (``1`` and ``"1"``; otherwise the smallest text wins, whatever the order)."""
    seen: dict[tuple, tuple] = {}
    for r in rows:
        text = r["l"]
        if text is None:
            continue
        k = (r[subject], label_rank(r["lang"]), str(text))
        was = seen.setdefault(k, (type(text), text))
        if was != (type(text), text):
            raise Unsure(f"two labels of {r[subject]} print alike")


def _order_free(rows) -> None:
    """Raise :class:`Unsure` when the projections' answer for these (subject, key, value) rows
    (deduplicated) could depend on their order: two values of one subject and key that compare
    equal although of different types (``1``, ``1.0``, ``True``: a list keeps the first) or that
    print alike although different (``1`` and ``"1"``: sorted by their text, they keep their
    order).  Plain strings never do either, so only subjects with another value are looked at."""
    rows = list(rows)
    seen: dict[tuple, list] = {}
    for s, key, v in rows:
        if type(v) is not str:
            seen.setdefault((s, key), [])
    if not seen:
        return
    for s, key, v in rows:
        group = seen.get((s, key))
        if group is None:
            continue
        for w in group:
            if (w == v or str(w) == str(v)) and (type(w), w) != (type(v), v):
                raise Unsure(f"two values of {key} of {s} compare or print alike")
        group.append(v)
