"""Phase progress arithmetic."""

from workbench.analysis.progress import Check, combined, progress_of, text_filled


def test_progress_counts_done_and_lists_missing_in_order() -> None:
    result = progress_of(
        [Check("a", "First", True), Check("b", "Second", False), Check("c", "Third", False)]
    )
    assert (result.done, result.total, result.percent) == (1, 3, 33)
    assert result.missing == ("Second", "Third")
    assert result.status == "in progress"


def test_empty_and_complete_states() -> None:
    assert progress_of([]).percent == 0
    assert progress_of([]).status == "not started"
    done = progress_of([Check("a", "A", True), Check("b", "B", True)])
    assert (done.percent, done.status, done.missing) == (100, "complete", ())


def test_combined_weights_every_check_equally() -> None:
    first = progress_of([Check("a", "A", True)])
    second = progress_of([Check(str(i), str(i), False) for i in range(3)])
    total = combined([first, second])
    assert (total.done, total.total, total.percent) == (1, 4, 25)


def test_text_filled_ignores_blank_and_token_answers() -> None:
    assert not text_filled(None)
    assert not text_filled("   ")
    assert not text_filled(" ok ")
    assert text_filled("Grow loyalty")
