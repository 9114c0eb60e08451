"""The reading of a text against Gibbs' cycle (journal/reflection.py)."""

import pytest
from django.utils import translation

from journal.reflection import Stage, read_reflection, split_sentences
from journal.reflection_eval import is_held_out, load_passages, split

# Gibbs template prompts are translatable strings; read them in English.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("sentence", "stage"),
    [
        ("Last week I set up a Twitter account for the library.", Stage.DESCRIPTION),
        ("I felt nervous about posting in public.", Stage.FEELINGS),
        ("The workshop was useful, but far too long.", Stage.EVALUATION),
        ("Nobody replied because the post went out at midnight.", Stage.ANALYSIS),
        ("In hindsight I could have asked a colleague first.", Stage.CONCLUSION),
        ("Next time I will schedule the post for the morning.", Stage.ACTION_PLAN),
    ],
)
def test_it_recognises_each_stage_in_a_clear_sentence(sentence, stage):
    reading = read_reflection(sentence)

    assert stage in reading.covered
    assert reading.stage(stage).sentences[0].text == sentence


def test_a_descriptive_text_covers_description_only_and_asks_for_feelings():
    reading = read_reflection(
        "On Monday we opened the new study space. I joined the tour and then "
        "we visited the archive."
    )

    assert reading.covered == (Stage.DESCRIPTION,)
    assert reading.missing == Stage.FEELINGS
    assert "feeling" in reading.question
    assert not reading.question_is_the_things


def test_a_sentence_may_carry_several_stages():
    reading = read_reflection("I felt anxious because nobody had explained it.")

    assert {Stage.FEELINGS, Stage.ANALYSIS} <= set(reading.covered)


def test_it_prefers_the_things_question_when_it_fits_the_missing_stage():
    questions = [
        "Which tool did you choose?",
        "How did you feel about sharing your work in public?",
    ]

    reading = read_reflection(
        "Yesterday I created a blog and wrote my first post.",
        thing_questions=questions,
    )

    assert reading.missing == Stage.FEELINGS
    assert reading.question == questions[1]
    assert reading.question_is_the_things


def test_it_asks_its_own_question_when_no_things_question_fits():
    reading = read_reflection(
        "Yesterday I created a blog and wrote my first post.",
        thing_questions=["Which tool did you choose?"],
    )

    assert reading.question != "Which tool did you choose?"
    assert not reading.question_is_the_things


def test_markdown_is_stripped_to_sentences():
    markdown = (
        "# Thing 3: Feelings\n\n"
        "I read [the guide](https://example.com/guide) twice.\n\n"
        "![A diagram of the cycle](https://example.com/cycle.png)\n\n"
        "- First item of a list\n"
        "- Second item, *with emphasis*\n"
    )

    assert split_sentences(markdown) == [
        "I read the guide twice.",
        "First item of a list",
        "Second item, with emphasis",
    ]


def test_headings_do_not_count_as_stages():
    reading = read_reflection("## Feelings\n\n## Evaluation\n\n## Action plan\n")

    assert reading.covered == ()


def test_sentences_split_at_full_stops_but_not_abbreviations():
    text = "We met Dr. Patel at 9.30, e.g. before clinic. It went well!\nThen lunch."

    assert split_sentences(text) == [
        "We met Dr. Patel at 9.30, e.g. before clinic.",
        "It went well!",
        "Then lunch.",
    ]


def test_a_line_carrying_on_in_lower_case_is_the_same_sentence():
    assert split_sentences("I wrote my first\npost today.") == [
        "I wrote my first post today."
    ]


def test_empty_text_covers_nothing_and_asks_what_happened():
    reading = read_reflection("")

    assert reading.sentences == ()
    assert reading.covered == ()
    assert reading.missing == Stage.DESCRIPTION
    assert "What happened?" in reading.question


def test_all_stages_covered_leaves_no_question():
    reading = read_reflection(
        "Last week I ran my first workshop. I felt anxious. It went well overall. "
        "It overran because I let one item drift. I could have set time limits. "
        "Next time I will put them on the agenda."
    )

    assert len(reading.covered) == len(Stage)
    assert reading.missing is None
    assert reading.question is None


def test_a_language_without_cues_is_read_with_the_english_ones():
    reading = read_reflection("I felt nervous.", language="cy")

    assert reading.covered == (Stage.FEELINGS,)


def test_the_held_out_split_is_every_third_passage():
    passages = load_passages()
    tuning, held_out = split(passages)

    assert len(passages) >= 120
    assert [p.position for p in held_out] == list(range(3, len(passages) + 1, 3))
    assert [p.text for p in held_out] == [p.text for p in passages[2::3]]
    assert len(tuning) + len(held_out) == len(passages)
    assert not any(is_held_out(p) for p in tuning)


def test_every_passage_is_labelled_with_known_stages():
    stages = {stage.value for stage in Stage}

    for passage in load_passages():
        assert passage.stages and passage.stages <= stages, passage.text
