"""The hash chain alone: any change, insertion or deletion is found, and named."""

from dataclasses import replace

from carte_blanche.journal.chain import GENESIS_HASH, ChainLink, compute_hash, verify


def make_chain(n: int) -> list[ChainLink]:
    links, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        link = ChainLink(
            seq,
            f"2026-11-21T10:00:0{seq % 10}+00:00",
            "person_read",
            7,
            "Agent",
            3,
            1,
            "accompaniment",
            {"granted": ["identity"]},
            prev,
        )
        link = replace(link, hash=compute_hash(link))
        links.append(link)
        prev = link.hash
    return links


def rows(links):
    return [(i + 100, link) for i, link in enumerate(links)]


def test_intact_chain_verifies():
    links = make_chain(5)
    assert verify(rows(links), (5, links[-1].hash)) is None


def test_empty_journal_verifies():
    assert verify([], None) is None
    assert verify([], (0, GENESIS_HASH)) is None


def test_changed_details_are_found_at_that_row():
    links = make_chain(5)
    links[2] = replace(links[2], details={"granted": ["identity", "health_autonomy"]})
    error = verify(rows(links), (5, links[-1].hash))
    assert error is not None and error.seq == 3 and error.row_id == 102


def test_rehashed_row_breaks_the_next_link():
    links = make_chain(5)
    forged = replace(links[1], actor_label="Quelqu'un d'autre")
    links[1] = replace(forged, hash=compute_hash(forged))
    error = verify(rows(links), (5, links[-1].hash))
    assert error is not None and error.seq == 3


def test_deleted_middle_row_is_found():
    links = make_chain(5)
    del links[2]
    error = verify(rows(links), (5, links[-1].hash))
    assert error is not None and error.seq == 4


def test_deleted_last_row_is_found_through_the_head():
    links = make_chain(5)
    error = verify(rows(links[:-1]), (5, links[-1].hash))
    assert error is not None and error.row_id is None


def test_missing_head_with_rows_is_an_error():
    assert verify(rows(make_chain(2)), None) is not None
