"""controlmap.model and controlmap.errors: relations, composition, value objects, catalog lookups."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from controlmap import (
    INVERSE,
    Catalog,
    Control,
    DataError,
    Framework,
    Mapping,
    MappingSet,
    Problem,
    Provenance,
    Relation,
    UnknownControlError,
    UnknownFrameworkError,
    compose,
)

E, SUP, SUB, INT, NONE = "equal", "superset_of", "subset_of", "intersects_with", "no_relationship"

# /work/shared/design/mapping-semantics.md, "Inference through intermediate controls", written out again:
# rows r1, columns r2; None where nothing follows. no_relationship composes with nothing.
COMPOSITION_TABLE = {
    E:   {E: E,   SUP: SUP,  SUB: SUB,  INT: INT},
    SUP: {E: SUP, SUP: SUP,  SUB: INT,  INT: INT},
    SUB: {E: SUB, SUP: None, SUB: SUB,  INT: None},
    INT: {E: INT, SUP: None, SUB: INT,  INT: None},
}  # fmt: skip
ALL_PAIRS = list(itertools.product([E, SUP, SUB, INT, NONE], repeat=2))


def _expected(r1: str, r2: str) -> str | None:
    return COMPOSITION_TABLE.get(r1, {}).get(r2)


# -- Relation ------------------------------------------------------------------------------------------
def test_relation_values_are_the_strings_written_to_files():
    assert {r.value for r in Relation} == {E, SUP, SUB, INT, NONE}
    assert Relation("subset_of") is Relation.SUBSET_OF
    assert str(Relation.SUPERSET_OF) == "superset_of"
    assert f"{Relation.INTERSECTS_WITH}" == "intersects_with"


def test_inverse_table_swaps_subset_and_superset_only():
    expected = {E: E, SUB: SUP, SUP: SUB, INT: INT, NONE: NONE}
    assert {r.value: inv.value for r, inv in INVERSE.items()} == expected
    assert {r.value: r.inverse.value for r in Relation} == expected


@pytest.mark.parametrize("relation", list(Relation))
def test_inverse_is_an_involution(relation):
    assert relation.inverse.inverse is relation


def test_only_equal_and_superset_of_cover_on_their_own():
    assert {r.value for r in Relation if r.covers} == {E, SUP}


def test_rank_puts_covering_relations_above_partial_ones_above_none():
    covering = [r for r in Relation if r.covers]
    partial = [Relation.SUBSET_OF, Relation.INTERSECTS_WITH]
    assert min(r.rank for r in covering) > max(r.rank for r in partial)
    assert min(r.rank for r in partial) > Relation.NO_RELATIONSHIP.rank
    assert Relation.EQUAL.rank > Relation.SUPERSET_OF.rank


@pytest.mark.parametrize(("r1", "r2"), ALL_PAIRS)
def test_compose_follows_the_design_table(r1, r2):
    got = compose(Relation(r1), Relation(r2))
    expected = _expected(r1, r2)
    assert (got.value if got is not None else None) == expected


@pytest.mark.parametrize(("r1", "r2"), ALL_PAIRS)
def test_compose_read_backwards_gives_the_inverse(r1, r2):
    # A r1 B and B r2 C give A r C; read from C: C r2⁻¹ B and B r1⁻¹ A give C r⁻¹ A.
    forward = compose(Relation(r1), Relation(r2))
    backward = compose(Relation(r2).inverse, Relation(r1).inverse)
    assert backward == (forward.inverse if forward is not None else None)


# -- value objects ---------------------------------------------------------------------------------------
def _fw(fid="demo", edition="1", prefix="D", **kw) -> Framework:
    return Framework(id=fid, edition=edition, prefix=prefix, title="例", **kw)


def _c(cid, parent=None, level="item", order=0, fw="demo@1", **kw) -> Control:
    return Control(cid, fw, cid.split(":", 1)[1], parent, level, f"title {cid}", order=order, **kw)


def test_provenance_tags():
    assert Provenance("R").tag == "[R]"
    assert Provenance("I").tag == "[I]"
    assert str(Provenance.READ) == "R"
    with pytest.raises(ValueError):
        Provenance("X")


def test_framework_key_iri_and_namespace():
    fw = _fw("jisq15001", "2006", "JISQ15001-2006")
    assert fw.key == "jisq15001@2006"
    assert fw.iri == "https://w3id.org/controlmap/jisq15001/2006"
    assert fw.namespace == "https://w3id.org/controlmap/jisq15001/2006/"


def test_value_objects_are_frozen():
    c = _c("D:1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        _fw().edition = "2"  # type: ignore[misc]


def test_origin_is_not_part_of_equality():
    assert _c("D:1", origin="a.csv:2") == _c("D:1", origin="b.csv:9")
    assert Mapping("D:1", "E:1", Relation.EQUAL, origin="x") == Mapping("D:1", "E:1", Relation.EQUAL, origin="y")


def test_mapping_set_is_canonical_whatever_the_row_order():
    rows = [Mapping("D:2", "E:1", Relation.SUBSET_OF, 5), Mapping("D:1", "E:1", Relation.EQUAL, 9),
            Mapping("D:1", "E:0", Relation.INTERSECTS_WITH, 3)]
    a = MappingSet("s", "t", "demo@1", "e@1", tuple(rows), creators=("b", "a"))
    b = MappingSet("s", "t", "demo@1", "e@1", tuple(reversed(rows)), creators=("a", "b"))
    assert a == b
    assert [(m.subject_id, m.object_id) for m in a.mappings] == [("D:1", "E:0"), ("D:1", "E:1"), ("D:2", "E:1")]


def test_machine_suggestions_are_not_curated():
    assert Mapping("D:1", "E:1", Relation.EQUAL).is_curated
    assert not Mapping("D:1", "E:1", Relation.EQUAL,
                       justification="semapv:LexicalSimilarityThresholdMatching").is_curated


# -- Catalog ---------------------------------------------------------------------------------------------
@pytest.fixture
def small() -> Catalog:
    fws = (_fw("demo", "2", "D2", is_default=True), _fw("demo", "1", "D"), _fw("other", "1", "O"))
    controls = (
        _c("D:1", level="chapter", order=1), _c("D:1.1", "D:1", order=2), _c("D:1.2", "D:1", order=3),
        _c("D:1.2.1", "D:1.2", order=4),
        _c("D2:1", fw="demo@2", level="chapter", order=1),
        _c("O:MIC-01-01", fw="other@1", order=1),
    )
    return Catalog(frameworks=fws, controls=controls)


def test_catalog_order_does_not_depend_on_input_order(small):
    shuffled = Catalog(frameworks=tuple(reversed(small.frameworks)), controls=tuple(reversed(small.controls)))
    assert shuffled == small
    assert [f.key for f in small.frameworks] == ["demo@1", "demo@2", "other@1"]
    assert [c.id for c in small.controls_of("demo@1")] == ["D:1", "D:1.1", "D:1.2", "D:1.2.1"]


def test_framework_lookup_by_default_edition_key_and_normalised_name(small):
    assert small.framework("demo").key == "demo@2"
    assert small.framework("demo@1").key == "demo@1"
    assert small.framework("ＤＥＭＯ＠１").key == "demo@1"  # 全角, upper case
    with pytest.raises(UnknownFrameworkError, match="nope"):
        small.framework("nope")
    with pytest.raises(UnknownFrameworkError, match="demo has editions: 1, 2"):
        small.framework("demo@1999")


def test_control_lookup_exact_normalised_and_by_unique_notation(small):
    assert small.control("D:1.2").title == "title D:1.2"
    assert small.control("O:ＭＩＣ－０１－０１").id == "O:MIC-01-01"
    assert small.control("MIC-01-01").id == "O:MIC-01-01"  # unique clause number alone
    with pytest.raises(UnknownControlError, match="ambiguous"):
        small.control("1")  # D:1 and D2:1
    with pytest.raises(UnknownControlError):
        small.control("D:9")
    with pytest.raises(KeyError):  # an UnknownControlError is also a KeyError
        small.control("D:9")


def test_hierarchy_helpers(small):
    assert [c.id for c in small.children("D:1")] == ["D:1.1", "D:1.2"]
    assert [c.id for c in small.ancestors("D:1.2.1")] == ["D:1.2", "D:1"]
    assert [c.id for c in small.assessable("demo@1")] == ["D:1.1", "D:1.2.1"]


def test_assessable_levels_make_parents_assessable():
    fw = _fw(levels=("clause", "control"), assessable_levels=("control",))
    cat = Catalog(frameworks=(fw,), controls=(_c("D:A.1", level="control", order=1),
                                             _c("D:A.1.1", "D:A.1", level="clause", order=2)))
    assert [c.id for c in cat.assessable("demo")] == ["D:A.1", "D:A.1.1"]


def test_merge_keeps_everything(small):
    extra = Catalog(frameworks=(_fw("x", "1", "X"),), controls=(_c("X:1", fw="x@1"),))
    merged = small.merge(extra)
    assert len(merged.frameworks) == len(small.frameworks) + 1
    assert merged.has_control("X:1") and merged.has_control("D:1")


# -- errors ----------------------------------------------------------------------------------------------
def test_problem_prints_file_row_column_message():
    assert str(Problem("data/x.csv", 3, "title", "empty title")) == "data/x.csv:3:title: empty title"
    assert str(Problem("data/x.yaml", None, "id", "missing 'id'")) == "data/x.yaml::id: missing 'id'"


def test_data_error_holds_every_problem_and_needs_one():
    problems = [Problem("a.csv", 2, "id", "one"), Problem("a.csv", 5, "title", "two")]
    err = DataError(problems)
    assert err.problems == tuple(problems)
    assert str(err).splitlines() == ["2 problem(s) in input data:", "a.csv:2:id: one", "a.csv:5:title: two"]
    with pytest.raises(ValueError):
        DataError([])


def test_unknown_framework_error_is_a_key_error_with_a_plain_message():
    err = UnknownFrameworkError("unknown framework 'x'")
    assert isinstance(err, KeyError)
    assert str(err) == "unknown framework 'x'"
