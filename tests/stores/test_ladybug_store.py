"""The LadybugDB store's writes of derived properties."""

from __future__ import annotations

import pandas as pd

TIES = ("MATCH (a)-[x:TIE]->(b) RETURN x.rid AS rid, label(a) AS from_label, a.id AS src, "
        "label(b) AS to_label, b.id AS dst, x.type AS type, x.since AS since, "
        "x.meetings_per_year AS meetings, x.lead AS lead ORDER BY rid")


def test_setting_tie_properties_changes_only_the_matched_ties(tiny_store):
    before = tiny_store.run(TIES)
    rids = before["rid"].tolist()
    changed, untouched = rids[:2], rids[2:]
    tiny_store.set_rel_properties("TIE", "rid", pd.DataFrame({
        "rid": changed, "meetings_per_year": [99.0, None], "zz_score": [0.25, 0.75],
        "zz_note": ["甲", None]}))
    after = tiny_store.run(TIES)
    # Every tie keeps its ends and the properties nobody set.
    assert after["rid"].tolist() == rids
    keep = ["from_label", "src", "to_label", "dst", "type", "since", "lead"]
    pd.testing.assert_frame_equal(after[keep], before[keep])
    meetings = dict(zip(after["rid"], after["meetings"], strict=True))
    assert meetings[changed[0]] == 99.0 and pd.isna(meetings[changed[1]])
    for rid in untouched:
        old = before.loc[before["rid"] == rid, "meetings"].iloc[0]
        assert meetings[rid] == old or (pd.isna(meetings[rid]) and pd.isna(old))
    extra = tiny_store.run("MATCH ()-[x:TIE]->() RETURN x.rid AS rid, x.zz_score AS s, "
                           "x.zz_note AS n ORDER BY rid").set_index("rid")
    assert extra.loc[changed[0], "s"] == 0.25 and extra.loc[changed[1], "s"] == 0.75
    assert extra.loc[changed[0], "n"] == "甲" and pd.isna(extra.loc[changed[1], "n"])
    assert extra.loc[untouched, "s"].isna().all()
    # The declared types survive the rewrite: since is still an integer.
    assert tiny_store.run("MATCH ()-[x:TIE]->() WHERE x.since = 2018 RETURN count(*) AS n"
                          )["n"].iloc[0] == (before["since"] == 2018).sum()
