"""Original demo content for Ponder: a 23 Things programme, its people and entries."""

from typing import Literal, NotRequired, TypedDict


class ProgrammeData(TypedDict):
    title: str
    slug: str
    summary: str


class ThingData(TypedDict):
    title: str
    slug: str
    introduction: str
    questions: list[str]
    action: str
    minutes: int


class PersonData(TypedDict):
    username: str
    display_name: str
    email: str
    bio: str


class ParticipantData(PersonData):
    time_zone: str


class EntryData(TypedDict):
    author: str
    thing: int | None
    title: str
    body: str
    action: str
    minutes: int | None
    visibility: Literal["cohort", "public", "private"]
    status: Literal["published", "draft"]
    days_ago: int


class CommentData(TypedDict):
    key: str
    entry: int
    author: str
    parent: str | None
    body: str
    days_ago: int
    #: "Only for the author": the entry's author, the writer and the facilitators.
    private: NotRequired[bool]


class LikeData(TypedDict):
    entry: int
    users: list[str]


class ReportData(TypedDict):
    comment: str
    reporter: str
    reason: str
    details: str
    #: Dismissed by the facilitator, so the moderation log has a line; else open.
    dismissed: bool


PROGRAMME: ProgrammeData = {
    "title": "23 Things for Professional Practice",
    "slug": "23-things",
    "summary": (
        "A self-paced programme of 23 short, practical prompts for people who "
        "want to keep growing in their work, one a week. Try a tool, a habit or "
        "an idea, write a short reflective entry about it, and read how "
        "colleagues in other roles and places have answered the same Thing."
    ),
}

THINGS: list[ThingData] = [
    # Thing 1
    {
        "title": "Start your reflective journal",
        "slug": "start-your-journal",
        "introduction": """Welcome to **23 Things for Professional Practice**. Each
week you will try a new tool, habit or idea and write a short journal entry about it.
Nobody is marking you. The point is to give yourself a regular, protected moment
to think about your work, and to read how people in other roles think about theirs.

This first Thing is about getting set up:

- Fill in your profile: a display name, a line about what you do, and your time
  zone so that dates make sense to you.
- Write your first entry. Introduce yourself, say what drew you to the programme
  and what you hope to get out of it.
- Choose who sees it. Each entry can be **only me**, **my cohort** or
  **public**, and you can change your mind later.

If writing in the open makes you nervous, start with *my cohort*. Most people
find the first entry is the hardest one, and that it gets easier by week three.
Keep it short if you like: a hundred honest words beat a thousand polished ones.

Finally, read two or three entries by others in your cohort and leave a comment.
A welcome from a stranger is a good way to start.""",
        "questions": [
            "What made you sign up for this programme, and what would make it "
            "worthwhile for you?",
            "How do you currently keep track of what you learn at work, if at all?",
            "Who would you like to be able to read your journal, and why?",
        ],
        "action": (
            "Publish a first entry introducing yourself, then comment on two "
            "entries written by people you have not met."
        ),
        "minutes": 45,
    },
    # Thing 2
    {
        "title": "What? So what? Now what?",
        "slug": "what-so-what-now-what",
        "introduction": """Reflective writing is not the same as keeping a diary. A
diary records what happened; reflection asks what it meant and what you will do about
it. One of the simplest frameworks, used widely in nursing and education, asks
three questions:

1. **What?** Describe the situation briefly: what happened, who was involved,
   what you did.
2. **So what?** Why does it matter? What did you feel, what did you learn, what
   does it tell you about your practice or your assumptions?
3. **Now what?** What will you do differently, find out, or try next time?

Most people find the first question easy and the last one hard. It is tempting
to write three paragraphs of description and a single line of conclusion. Try
to reverse the balance.

For this Thing, choose one small, recent moment from work: a query you could not
answer, a meeting that went sideways, a piece of feedback that stuck with you.
It does not need to be dramatic. Write about it using the three questions.

If you want to go further, there is
[a short comparison of reflective models](https://example.org/reflective-models),
including Gibbs and Kolb.""",
        "questions": [
            "What happened, and what was your part in it?",
            "So what: why does this moment matter to you or to the people you serve?",
            "Now what: what will you do differently next time?",
        ],
        "action": (
            "Write up one recent moment from work using the What? So what? "
            "Now what? questions as headings."
        ),
        "minutes": 60,
    },
    # Thing 3
    {
        "title": "Writing in the open: blogging",
        "slug": "blogging",
        "introduction": """The first 23 Things programmes ran on blogs, and many
participants kept writing long after the programme ended. Your journal here
works much like a blog: every public entry has its own page and appears in a
feed that anyone can follow.

Why write in public at all? Writing clarifies your thinking. It lets people with
the same problem find you. And it is a way of giving something back to a
profession that has probably taught you a great deal through other people's
generosity.

This week, read around before you write:

- Find two or three blogs or newsletters by people who do a job like yours.
- Notice what makes you keep reading: the voice, the usefulness, the honesty?
- Notice what makes you stop.

Some tips if you decide to write for an audience: write the post you wish you
had found when you were stuck; say who you are and where you work, as far as
you are comfortable; keep paragraphs short; and link generously to others.

You do not have to make any of your entries public. But it is worth asking
yourself what you would write if you did.""",
        "questions": [
            "Which blogs or newsletters in your field do you actually read, and "
            "what keeps you coming back?",
            "What could you write about that nobody else in your workplace could?",
            "What holds you back from writing in public?",
        ],
        "action": (
            "Find three blogs or newsletters written by people in your field, and "
            "jot down five topics you could write about yourself."
        ),
        "minutes": 60,
    },
    # Thing 4
    {
        "title": "Keeping up: current awareness and feeds",
        "slug": "current-awareness",
        "introduction": """Keeping up with your field can feel like drinking from a
fire hose, or like standing in a desert, depending on the week. The trick is to
let the news come to you, in one place, at a time you choose.

A **feed reader** collects new posts from the websites, journals and blogs you
follow, so you do not have to visit each one. Most journals offer alerts for
new issues, most databases can save a search and email you new results, and
many organisations publish newsletters. This cohort has a feed of its public
entries too.

This week:

1. Pick a feed reader or alert service. Any will do; the habit matters more than
   the tool.
2. Add five to ten sources: a journal or two, a professional body, a blog you
   found in Thing 3, and this cohort's feed.
3. Decide **when** you will read it. Ten minutes with a coffee on a Tuesday is
   better than a guilty glance at three hundred unread items.

Be ruthless. If a source has not given you anything useful in a month,
unsubscribe. You can always add it back.""",
        "questions": [
            "Where does your news about your profession come from at the moment?",
            "Which sources would you miss if they disappeared tomorrow?",
            "How much time a week can you realistically give to keeping up?",
        ],
        "action": (
            "Set up a feed reader or alert service with at least five sources, "
            "including this cohort's feed, and use it for a week."
        ),
        "minutes": 75,
    },
    # Thing 5
    {
        "title": "Curating and bookmarking",
        "slug": "curating-and-bookmarking",
        "introduction": """Finding useful things is only half the job; the other half
is finding them again. Browser bookmarks, read-later apps, reference managers
and shared link collections all try to solve this problem, and most of us use
an untidy mixture of them, plus emails to ourselves.

Curation goes one step further: choosing, arranging and describing a small set
of resources so that **someone else** can use them. A reading list, a subject
guide, a folder of ward guidelines or a list of datasets for new colleagues are
all acts of curation, and they are often more valuable than the original search.

This week:

- Choose one tool for saving links and try it properly. Save ten things and
  give each a tag or two.
- Think about who around you would benefit from a short, well-chosen list on a
  topic you know well.
- Make that list. Five good items with a sentence each on why they matter will
  beat fifty without.

Look at how others curate, too. What makes you trust one collection of links
more than another?""",
        "questions": [
            "When you find something useful, where does it go, and can you find it "
            "again a month later?",
            "Who in your organisation would benefit from a curated list, and on "
            "what topic?",
            "What makes a collection of links trustworthy?",
        ],
        "action": (
            "Save and tag ten items in one bookmarking or reference tool, and share "
            "one small curated list with a colleague."
        ),
        "minutes": 45,
    },
    # Thing 6
    {
        "title": "Professional networks",
        "slug": "professional-networks",
        "introduction": """Nobody does their job alone. Behind every confident answer
there is usually someone who was asked a question first: a former colleague, a
friend from a course, a name on a mailing list.

Your network includes professional bodies and their special interest groups,
regional and national groups, mailing lists and forums, conferences, and the
people you happen to sit near. Research on careers keeps finding that **weak
ties**, people you know a little, bring new opportunities more often than close
colleagues do, simply because they know different things.

This week, take stock:

1. Draw a quick map of your network. Put yourself in the middle and the people
   and groups you turn to around you, grouped by what you go to them for.
2. Look for gaps. Is everyone in your own organisation? Your own profession?
   Your own age group?
3. Make one move: join a group, rejoin one you let lapse, or get back in touch
   with someone you have not spoken to for a year.

Networking does not have to mean name badges and small talk. It can be one
good question sent to the right person.""",
        "questions": [
            "Who do you turn to when you are stuck, and how did you meet them?",
            "Which professional bodies or groups are you part of, and what do you "
            "get from them?",
            "Where are the gaps in your network?",
        ],
        "action": (
            "Draw a map of your professional network, and make one new connection "
            "or rejoin one group you have let lapse."
        ),
        "minutes": 60,
    },
    # Thing 7
    {
        "title": "Putting the social into social media",
        "slug": "social-media",
        "introduction": """Social media has changed a lot since the first 23 Things
programmes. Professional conversations that once happened in one place are now
scattered across several platforms, and many people have stepped back from
them altogether. That is a reasonable choice. This Thing asks you to make it
deliberately rather than by drift.

Whichever platforms you use, the professional value tends to come from
**conversation**, not broadcasting. A thoughtful reply to a stranger often does
more for you than ten posts announcing your achievements.

This week:

- Spend twenty minutes listening somewhere your profession talks online: a
  hashtag, a group, a forum, a scheduled chat.
- Notice who is there and who is not. Whose voices are loudest?
- Join in once, with a reply, a question or a useful link.

Check your employer's social media policy before you post about work, and think
about where you want the line between your personal and professional selves.
There is no single right answer, but there is an answer that is right for you.""",
        "questions": [
            "Which platforms, if any, do you use for work, and what do you get from "
            "each?",
            "Where do you draw the line between your personal and professional "
            "presence?",
            "Has social media ever changed your mind about something at work?",
        ],
        "action": (
            "Spend twenty minutes listening in one professional space online, then "
            "join one conversation with a reply or a question."
        ),
        "minutes": 60,
    },
    # Thing 8
    {
        "title": "Privacy and your digital footprint",
        "slug": "digital-footprint",
        "introduction": """Before a job interview, a new manager or an anxious
service user may well search for your name. What will they find?

Open a private browser window, so your own history does not colour the results,
and search for yourself. Try your name with your town, your employer and your
profession. Look at the images too. You may find old profiles, photos from
events, a comment you made years ago, or someone else entirely.

Then look at the other side of privacy: the people you serve. Librarians protect
readers' records; nurses protect patients' confidentiality; analysts handle
personal data every day. When you write about your work, in this journal or
anywhere else, ask whether anyone could be identified from the detail.

This week:

- Search for yourself and note what you find.
- Tidy up one profile or privacy setting.
- Review the visibility of your entries here so far. Are you still happy with
  who can read each one?

You can change an entry's visibility at any time; comments stay with it.""",
        "questions": [
            "What did you find when you searched for yourself, and did anything "
            "surprise you?",
            "What would you not want a service user, patient or future employer to "
            "see?",
            "How do you protect the privacy of the people you work with when you "
            "write about your work?",
        ],
        "action": (
            "Search for your own name in a private window, tidy up one profile, and "
            "review the visibility of your journal entries so far."
        ),
        "minutes": 45,
    },
    # Thing 9
    {
        "title": "Listening and watching: podcasts and video",
        "slug": "podcasts-and-video",
        "introduction": """Some of the best professional learning now happens with
headphones on: on the bus, on a walk, while folding laundry. Podcasts, recorded
webinars and short explainer videos let you learn in time that would otherwise
be lost, and they bring you voices you would never hear at a local meeting.

This week, try listening or watching with intent:

- Find one podcast episode, recorded talk or video relevant to your work. Ask
  your cohort for recommendations, or browse a professional body's recordings.
- Make a note of one idea you could use, and one you disagree with.
- Try the tools that make it easier: playback speed, captions, transcripts.

If you feel brave, go one step further and **make** something: a two-minute
video or audio clip explaining one thing you know well. Your phone is all you
need. Think about who it is for, keep it short, and add captions so that it
works with the sound off.

Notice how it feels to hear your own voice played back. Almost everybody hates
it at first. That passes.""",
        "questions": [
            "When and where do you actually have time to listen or watch?",
            "What did you learn from the episode or video you chose, and would you "
            "recommend it?",
            "Could a short video or audio piece help the people you serve?",
        ],
        "action": (
            "Listen to or watch one episode relevant to your work, and note one idea "
            "from it that you could use."
        ),
        "minutes": 60,
    },
    # Thing 10
    {
        "title": "Images, copyright and Creative Commons",
        "slug": "images-and-copyright",
        "introduction": """Any workplace that makes posters, slides or guides hears the
question "Can I use this picture?" all the time, and "I found it on the
internet" is not an answer. This Thing is not legal advice, but it
should help you ask better questions.

Most images you find online are protected by copyright, even when no notice is
shown. **Creative Commons** licences let creators give permission in advance,
on conditions you can read at a glance:

- **BY**: credit the creator.
- **SA**: share what you make under the same licence.
- **NC**: no commercial use.
- **ND**: no changes.

A useful habit for attribution is **TASL**: give the Title, Author, Source and
Licence, with links where you can.

This week, find one openly licensed image for something you are actually making,
and attribute it properly. Then think about the other direction: would you be
happy for others to reuse your slides, guides or public entries? A licence can
make your generosity explicit.

Your organisation may have its own guidance or a copyright lead. Find out who
they are; they will be glad you asked.""",
        "questions": [
            "How do you usually find images for slides, posters or guides, and are "
            "you confident you are allowed to use them?",
            "What does a good attribution look like in practice?",
            "Would you share your own work under a Creative Commons licence? Why or "
            "why not?",
        ],
        "action": (
            "Find one openly licensed image for something you are making at work "
            "and attribute it properly."
        ),
        "minutes": 60,
    },
    # Thing 11
    {
        "title": "Writing together: collaborative documents",
        "slug": "collaborative-documents",
        "introduction": """Most of us have lived through a document called
something like *procedure_v4_final_FINAL_JM edits*. Shared documents that
several people can edit at once were meant to end that, and mostly they have,
but they bring their own problems: edits nobody can account for, comments
nobody resolves, and documents that nobody feels they own.

A few conventions help a great deal:

- Agree who **owns** the document and who makes the final decisions.
- Use **suggestions** for changes to other people's words and **comments** for
  questions; edit directly only where you have agreed to.
- Resolve comments once they are dealt with, and use the version history
  instead of saving copies.

This week, write something short together with a colleague or someone from
your cohort: a guide, a procedure, a list of tips for new starters. Use comments
and suggestions rather than sending attachments back and forth, and notice how
the conversation around the document changes.""",
        "questions": [
            "What goes wrong when several people edit the same document, and how "
            "could it be avoided?",
            "What is the difference between a comment, a suggestion and an edit, and "
            "when do you use each?",
            "Which document at work would be better written together?",
        ],
        "action": (
            "Co-write one short document with a colleague or cohort-mate, using "
            "comments and suggestions rather than email attachments."
        ),
        "minutes": 45,
    },
    # Thing 12
    {
        "title": "Presenting and slides",
        "slug": "presenting-and-slides",
        "introduction": """Slides should help your audience, not hold your script.
When a slide is full of text, people read it instead of listening to you, and
they finish before you do.

Some principles that work in a training room, a ward handover or a committee:

- **One idea per slide.** If you need two ideas, use two slides.
- **Big text, few words.** If it will not fit at a size people at the back can
  read, it belongs in a handout.
- **Show, do not tell.** A photo, a chart or a single number can carry more
  than a paragraph.
- **Make it accessible.** Good contrast, real headings, and alt text on images.
  There is more on this in Thing 17.

This week, take a presentation you have given or will give and redesign five of
its slides. Try cutting the words by half. Put what you removed into the
speaker notes or a handout, and see whether the slides still do their job.

If you can, show the before and after in your entry, or describe what changed.""",
        "questions": [
            "Think of the best presentation you have seen: what made it work?",
            "What do your slides do that you could not do by speaking alone?",
            "What would your presentation look like with half the words on the slides?",
        ],
        "action": (
            "Take an existing presentation and redesign five slides, with one idea "
            "and far fewer words on each."
        ),
        "minutes": 90,
    },
    # Thing 13
    {
        "title": "Speaking in public",
        "slug": "public-speaking",
        "introduction": """Many people who say they cannot speak in public do it
every week: they run a team briefing, teach a group of students, lead a ward
handover or explain a report to a committee. Public speaking is a skill like
any other, and it grows with practice.

Nerves are normal, and they are not a sign that you are bad at it. Some things
that help:

- **Know your first sentence** by heart, and your last one.
- **Practise out loud**, not just in your head. Time yourself.
- **Tell a story.** People remember a case, a person or a moment far better than
  a list of points.
- **Pause.** Silence feels much longer to you than it does to the audience.

This week, give a short talk of about three minutes on something you know well.
Your team, a friend or this cohort will do as an audience; you could record it
on your phone and share it here. Ask for one specific piece of feedback, such
as whether your main point was clear.

Look out for lightning talks and short-paper sessions at events in your field.
They are a friendly way to start speaking beyond your own workplace.""",
        "questions": [
            "In which situations do you already speak to a group, even if you do not "
            "call it public speaking?",
            "What happens to you when you are nervous, and what helps?",
            "What would you like to be able to speak about in a year's time?",
        ],
        "action": (
            "Give a three-minute talk on something you know well, to your team or "
            "this cohort, and ask for one piece of feedback."
        ),
        "minutes": 60,
    },
    # Thing 14
    {
        "title": "Advocacy: making the case for your service",
        "slug": "advocacy",
        "introduction": """Services that are invisible are easy to cut. The people
who decide on budgets and staffing rarely see the difference your work makes
day to day, so somebody has to show them, and that somebody is often you.

Good advocacy usually combines **a story and a number**. The story makes people
care: the student who found the evidence that changed her dissertation, the
patient who went home a day earlier. The number shows that the story is not a
one-off. Neither works as well alone.

This week:

1. Identify one person who makes decisions about your service. What do they
   care about? What pressures are they under?
2. Find one story that shows the difference your work makes, with permission
   and without identifying anyone who has not agreed to it.
3. Find one number you already collect that supports it.
4. Write a pitch of about 100 words aimed at that person.

Test it on a colleague. Could they repeat your main point back to you after
hearing it once? If not, cut it down.""",
        "questions": [
            "Who decides about the future of your service, and what do they care "
            "about?",
            "What is one story that shows the difference your work makes?",
            "What numbers do you already collect that could support that story?",
        ],
        "action": (
            "Write a 100-word case for your service aimed at one named "
            "decision-maker, and test it on a colleague."
        ),
        "minutes": 60,
    },
    # Thing 15
    {
        "title": "Being a mentor",
        "slug": "mentoring",
        "introduction": """You probably know more than you think. Someone starting
out in your profession would be glad of an hour with you, not because you have
all the answers, but because you remember what it was like and know where the
pitfalls are.

Mentoring is not managing. A mentor does not set targets or assess
performance; they listen, ask good questions, share experience when it helps,
and open doors. Most of the value comes from **listening** well, which is harder
than it sounds.

Many professional bodies run formal mentoring schemes, often linked to
registration or chartership. Informal mentoring happens everywhere too, in
corridors and over coffee. Reverse mentoring, where someone newer helps a more
experienced colleague, for example with technology or with a perspective they
lack, can be valuable for both.

This week, think about what you could offer and to whom. If the time is right,
offer it: sign up to a scheme, or let a newer colleague know you would be happy
to talk. Agree early on how often you will meet, what is confidential and how
either of you can end the arrangement.""",
        "questions": [
            "Who has been a mentor to you, formally or not, and what did they do "
            "that helped?",
            "What could you offer someone newer to your profession?",
            "What boundaries would you want in a mentoring relationship?",
        ],
        "action": (
            "Offer an hour of your time to someone earlier in their career, or sign "
            "up to a mentoring scheme in your profession."
        ),
        "minutes": 60,
    },
    # Thing 16
    {
        "title": "Being mentored and coached",
        "slug": "being-mentored",
        "introduction": """Asking for help is a professional skill. The people who
grow fastest are rarely the ones who know most; they are the ones who ask good
questions of the right people, and act on the answers.

**Mentoring** draws on the mentor's experience. **Coaching** assumes you already
have most of the answers and helps you find them through questions. Both work
best when you arrive knowing what you want to talk about.

A common coaching structure is **GROW**:

- **Goal**: what do you want to achieve?
- **Reality**: where are you now, and what is getting in the way?
- **Options**: what could you do? List more than feels sensible.
- **Will**: what will you do, and by when?

This week, use GROW to write down one goal for the next year. Then think about
who could help you with it, whether a manager, a senior colleague, someone from
your network map in Thing 6, or a formal scheme, and ask them for a
conversation. Notice what stops you from asking, if something does.""",
        "questions": [
            "What would you most like help with in the next year?",
            "Who could you ask, and what is stopping you?",
            "How do you respond to feedback you did not expect?",
        ],
        "action": (
            "Use the GROW questions to write down one goal, then ask one person for "
            "a conversation about it."
        ),
        "minutes": 60,
    },
    # Thing 17
    {
        "title": "Accessible by default",
        "slug": "accessibility",
        "introduction": """Everything we make, from posters and slides to guides,
web pages, forms and videos, will be used by someone with a disability,
whether or not we know it. Accessibility is easiest when it is a habit from the
start rather than a fix at the end.

A handful of habits cover a lot of ground:

- Use **real headings** and lists, not bold text and manual numbering.
- Write **alt text** for images that carry meaning, and mark decorative ones
  as decorative.
- Make **link text** say where it goes; "click here" tells a screen reader
  user nothing.
- Check **colour contrast**, and never use colour alone to carry meaning.
- **Caption** videos and provide transcripts for audio.
- Prefer **plain language**. It helps everyone, not only people with a
  disability.

This week, take one thing you made recently and check it: run the built-in
accessibility checker in your office software, try navigating a web page with
the keyboard only, or read a document with a screen reader for five minutes.
Fix what you find, and write about what surprised you.""",
        "questions": [
            "Who might be unable to use something you made recently, and why?",
            "What one habit would make the biggest difference to the accessibility "
            "of your work?",
            "Whose job is accessibility in your organisation?",
        ],
        "action": (
            "Run an accessibility check on one document, web page or slide deck you "
            "made, and fix what it finds."
        ),
        "minutes": 75,
    },
    # Thing 18
    {
        "title": "Data and evidence in your work",
        "slug": "data-and-evidence",
        "introduction": """Whatever your role, you make decisions that could be
better informed: which resources to buy, how to run a clinic, what to report to
a board. Evidence-based practice began in medicine, but the idea travels well:
combine the best available evidence with professional judgement and the views of
the people you serve.

Evidence comes in many forms. There is published research, of course, but also
the data your service already collects, such as loans, waiting times, enquiries
and incidents, and qualitative evidence like feedback and observation. Often
the data exists and nobody looks at it.

A few habits help:

1. **Start with a question**, not with the data you happen to have.
2. **Ask what would change your mind.** If no result would change what you do,
   you do not need the data.
3. **Be honest with charts.** Start axes at zero for bars, label clearly, and
   show uncertainty where there is some.
4. **Know the limits.** A small survey is evidence, but it is not proof.

This week, pick one question about your service and look for one piece of data
or research that helps answer it. Share what you found, and what you still do
not know.""",
        "questions": [
            "What decision at work would you like better evidence for?",
            "What data do you already collect, and does anyone use it?",
            "How do you judge whether a source of evidence is good enough?",
        ],
        "action": (
            "Pick one question about your service, find one piece of data or "
            "research that helps answer it, and share what you found."
        ),
        "minutes": 75,
    },
    # Thing 19
    {
        "title": "Wellbeing and information overload",
        "slug": "wellbeing",
        "introduction": """Several of the Things so far have added to your inbox:
feeds, networks, social media, podcasts. This one is about taking things away.

Information overload is not a personal failing. Most of us now have email, chat,
a phone, a shared drive and several platforms all asking for attention, and
each one was designed to be checked. Constant switching between them is tiring,
and it crowds out the kind of deep work that many professional roles need.

Some things people find helpful:

- Turn off notifications for anything that is not urgent.
- Check email at set times instead of keeping it open all day.
- Unsubscribe freely. If you have not opened a newsletter in a month, you will
  not miss it.
- Protect one block of focused time a week, and put it in your calendar.
- Have a ritual that marks the end of the working day.

This week, make one change and keep it for a week. Notice what you miss, if
anything, and what you gain. Rest is part of professional practice, not a
reward for finishing it.""",
        "questions": [
            "Which channels compete for your attention in a typical working day?",
            "What would you stop doing if nobody noticed?",
            "What helps you switch off at the end of a working day?",
        ],
        "action": (
            "Turn off one set of notifications and unsubscribe from three things for "
            "a week, and notice what you miss."
        ),
        "minutes": 45,
    },
    # Thing 20
    {
        "title": "Communities of practice",
        "slug": "communities-of-practice",
        "introduction": """A **community of practice** is a group of people who share
a concern or a passion for something they do, and learn how to do it better by
interacting regularly. It has three parts: a shared domain, a community of
people who care about it, and a shared practice of tools, stories and ways of
handling problems.

You are probably in several already. A journal club is one, and so is a
regional group of school librarians, an online forum for data analysts, or the
nurses who gather in the staff room to talk through a difficult shift. This
cohort has been one for the last twenty weeks.

Communities of practice tend to thrive when there is a regular rhythm, a small
group willing to keep things going, room for newcomers at the edges, and a
mixture of useful and social activity. They fade when everything depends on one
enthusiastic organiser.

This week, look at the communities you belong to. Which ones give you the most?
Is there a question you share with others that deserves a community of its own?
And what could this cohort become once the programme ends?""",
        "questions": [
            "Which communities of practice do you belong to, even informally?",
            "What keeps a community going once the enthusiasm of the first meeting "
            "wears off?",
            "What could this cohort become after the programme ends?",
        ],
        "action": (
            "Join or start a small community of practice around one question you "
            "share with others, and set a date for its next meeting."
        ),
        "minutes": 60,
    },
    # Thing 21
    {
        "title": "Teach someone a skill",
        "slug": "teaching-a-skill",
        "introduction": """The quickest way to find out how well you understand
something is to teach it. Teaching forces you to put steps in order, notice
the things you do without thinking, and answer questions you never asked
yourself.

You do not need to be a trainer. Think of something colleagues regularly ask
you about: a database search, a spreadsheet formula, a clinical procedure, a
way of handling a difficult conversation. Then teach it to one person or a
small group, in person, online or as a one-page guide.

Some tips:

- Start with what the learner wants to do, not with everything you know.
- **Show, then let them do it.** Keep your hands off the keyboard.
- Check understanding by asking them to show you, not by asking whether they
  understood.
- Write down the questions they ask. They will improve the next session.

Afterwards, reflect on the experience from both sides. What did you learn about
the skill itself, and what did you learn about how people learn?""",
        "questions": [
            "What do you know how to do that colleagues often ask you about?",
            "How do you know when someone has really learned something, rather than "
            "watched you do it?",
            "What did you learn about the skill by teaching it?",
        ],
        "action": (
            "Teach one skill to one person or a small group, in person or as a short "
            "written guide, and ask them to show it back to you."
        ),
        "minutes": 90,
    },
    # Thing 22
    {
        "title": "Registration, revalidation and CPD records",
        "slug": "cpd-records",
        "introduction": """Many professions ask you to keep a record of your
continuing professional development: hours spent, what you learned, how it
relates to a set of standards, and often a written reflection. Nurses revalidate
on a regular cycle; librarians working towards or maintaining professional
registration keep portfolios; analysts may log development against a
competency framework.

The good news is that you have been building evidence for twenty-one weeks.
Every entry here records the time you spent, and many of them are exactly the
kind of reflective account professional bodies ask for.

This week:

1. Find out what your professional body asks you to record, and how often.
2. Look back over your entries and pick three that would make good evidence.
   Note which standard or competency each one supports.
3. Export your journal or copy those entries into your CPD record, and tidy up
   anything that identifies people who have not agreed to it.
4. Decide how you will keep your record up to date once the programme ends.

If your profession does not require a record, keep one anyway. It makes
appraisals and job applications far easier.""",
        "questions": [
            "What does your professional body ask you to record, and how often?",
            "Which of your entries so far would make good evidence, and for which "
            "standard?",
            "What system will you use to keep your record up to date after the "
            "programme?",
        ],
        "action": (
            "Match three of your entries to your professional body's standards and "
            "add them to your CPD record."
        ),
        "minutes": 60,
    },
    # Thing 23
    {
        "title": "Look back, plan ahead",
        "slug": "look-back-plan-ahead",
        "introduction": """You made it. Whether you wrote an entry for every Thing or
dipped in and out, you have spent weeks thinking deliberately about your work,
and that is worth stopping to notice.

Start by **reading your first entry again**. What did you hope for? What has
changed since then, in your practice, your confidence or your network? Then
browse your other entries and the comments on them. Which Things stuck, and
which ones would you happily skip next time?

Then look forward. Write down three things you will do in the next twelve
months. Make them specific enough that you will know whether you did them:
"give a lightning talk at the regional conference" rather than "present more".

Finally, think about how you will keep reflecting. Your journal stays yours
after the programme ends, and you can keep writing free reflections in it.
Some cohorts agree to meet again in six months, or to keep commenting on each
other's entries.

Thank you for taking part, for writing honestly and for encouraging each other.
It has been a pleasure to read.""",
        "questions": [
            "Reading your first entry again, what has changed?",
            "Which Thing has made the most difference to your practice, and which "
            "one would you skip?",
            "What are three things you will do in the next twelve months?",
            "How will you keep reflecting once the programme ends?",
        ],
        "action": (
            "Reread your first entry, write a final reflection on the programme, and "
            "set a date to read it again in six months."
        ),
        "minutes": 90,
    },
]

FACILITATOR: PersonData = {
    "username": "fran",
    "display_name": "Fran Okafor",
    "email": "fran@example.org",
    "bio": (
        "Learning and development lead for a regional library and knowledge "
        "network, and facilitator of this programme since its first run."
    ),
}

# Fran both authors the programme and facilitates the demo cohort.
OWNER: PersonData = FACILITATOR

PARTICIPANTS: list[ParticipantData] = [
    {
        "username": "ada",
        "display_name": "Ada Whitfield",
        "email": "ada@example.org",
        "bio": (
            "Subject librarian for engineering and physical sciences at a "
            "university library."
        ),
        "time_zone": "Europe/London",
    },
    {
        "username": "ben",
        "display_name": "Ben Osei",
        "email": "ben@example.org",
        "bio": "Staff nurse on a respiratory ward at a district general hospital.",
        "time_zone": "Europe/London",
    },
    {
        "username": "priya",
        "display_name": "Priya Raman",
        "email": "priya@example.org",
        "bio": "Data analyst in the performance and insight team of a county council.",
        "time_zone": "Europe/London",
    },
    {
        "username": "siobhan",
        "display_name": "Siobhán Kelly",
        "email": "siobhan@example.org",
        "bio": "Branch librarian at a busy suburban public library in Dublin.",
        "time_zone": "Europe/Dublin",
    },
    {
        "username": "tom",
        "display_name": "Tom Hargreaves",
        "email": "tom@example.org",
        "bio": "The only librarian at a secondary school of 1,100 pupils.",
        "time_zone": "Europe/London",
    },
    {
        "username": "marcus",
        "display_name": "Marcus Bell",
        "email": "marcus@example.org",
        "bio": "Clinical knowledge specialist in an NHS hospital library.",
        "time_zone": "Europe/London",
    },
    {
        "username": "leila",
        "display_name": "Leila Haddad",
        "email": "leila@example.org",
        "bio": "Clinical nurse educator at a community hospital in Toronto.",
        "time_zone": "America/Toronto",
    },
    {
        "username": "greta",
        "display_name": "Greta Novak",
        "email": "greta@example.org",
        "bio": "Archivist at a county record office.",
        "time_zone": "Europe/London",
    },
    {
        "username": "owen",
        "display_name": "Owen Pryce",
        "email": "owen@example.org",
        "bio": "Records and information manager at a housing association.",
        "time_zone": "Europe/London",
    },
    {
        "username": "hana",
        "display_name": "Hana Sato",
        "email": "hana@example.org",
        "bio": "Research data librarian at a university in Sydney.",
        "time_zone": "Australia/Sydney",
    },
    {
        "username": "joe",
        "display_name": "Joe Mensah",
        "email": "joe@example.org",
        "bio": "District nurse working across three GP practices.",
        "time_zone": "Europe/London",
    },
    {
        "username": "rosa",
        "display_name": "Rosa Delgado",
        "email": "rosa@example.org",
        "bio": "Performance analyst at a regional fire and rescue service.",
        "time_zone": "Europe/London",
    },
]

# The demo cohort is in week 12, so entries cover Things 1 to 11. An entry on
# Thing n was written between 7 * (11 - n) + 1 and 7 * (11 - n) + 7 days ago.
# COMMENTS refer to entries by their index in this list, noted above each one.
ENTRIES: list[EntryData] = [
    # [0] ada, Thing 1
    {
        "author": "ada",
        "thing": 1,
        "title": "Hello, journal (and hello, nerves)",
        "body": """\
## What made you sign up for this programme, and what would make it worthwhile for you?

My manager forwarded the sign-up link with the message "thought of you!", which I
have decided to take as a compliment. The honest answer is that I have been in the
same post for six years and I have stopped learning things on purpose. I still
learn plenty, but by accident, usually at four o'clock on a Friday when a PhD
student asks me something I cannot answer.

Worthwhile would mean two things: getting to the end, and coming out of it with a
habit of writing things down that outlasts the programme.

## How do you currently keep track of what you learn at work, if at all?

Badly. There is a paper notebook that I carry to every meeting and never reread,
and an email folder called "useful??" that currently holds 412 messages. The
question marks are doing a lot of work.

## Who would you like to be able to read your journal, and why?

I am making this first one public, mostly because if I keep it to the cohort I
will fiddle with it forever. I expect some later entries will be cohort-only,
especially anything involving actual students.""",
        "action": (
            "Give my email folder of useful things a proper name, and block out "
            "Thursday lunchtimes for this journal."
        ),
        "minutes": 40,
        "visibility": "public",
        "status": "published",
        "days_ago": 76,
    },
    # [1] ben, Thing 1
    {
        "author": "ben",
        "thing": 1,
        "title": "Writing about me for a change",
        "body": """I write all day at work: observations, care plans, fluid
charts, the occasional incident report. None of it is about me, and I think that
is why this felt so odd to start. I sat looking at the empty box for ten minutes
before typing anything.

Why am I here? Partly revalidation, if I'm honest. My reflective accounts last
time were written in a panic the week before the deadline, and they read like it.
I'd like the next lot to come from something real rather than from memory.

Partly, though, it's because I've been on the respiratory ward for four years and
I'm starting to wonder what comes next. Specialist nurse? Education? Staying put
and getting better at what I do? I don't know yet, and I think writing might help
me notice what I actually enjoy.

Practicalities: I work a mix of days and nights, so I'll mostly be writing on my
phone on the bus home. Apologies in advance for the typos.

I'm keeping this to the cohort for now. Hello everyone.""",
        "action": (
            "Write my entry on my first day off each week, before I open anything else."
        ),
        "minutes": 30,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 75,
    },
    # [2] priya, Thing 1
    {
        "author": "priya",
        "thing": 1,
        "title": "Three reasons I'm here, in order of honesty",
        "body": """I'm an analyst in a county council's performance and insight
team. I build dashboards, answer questions that begin "can you just pull...", and
spend more of my week than I'd like explaining why two numbers from two different
systems do not match.

Three reasons I signed up, from most to least flattering:

1. I want to get better at explaining my work to people who are not analysts.
   Most of my job is communication, and nobody ever trained me in it.
2. I'm curious how other professions handle evidence. Half of this cohort seem to
   be librarians, which feels like a good place to learn.
3. The programme counts towards my development objective for the year, and my
   appraisal is in March.

How I keep track of learning now: a text file called `til.md` (today I learned)
that I add to when I remember, which is roughly once a month.

I'll make most of these public. Analysts in local government are a small world
and I'd like to find more of them.""",
        "action": "Find two other public-sector analysts who write about their work.",
        "minutes": 25,
        "visibility": "public",
        "status": "published",
        "days_ago": 74,
    },
    # [3] siobhan, Thing 1
    {
        "author": "siobhan",
        "thing": 1,
        "title": "Second time round",
        "body": """This is my second go at a 23 Things programme. The first was
years ago, when I was newly qualified and blogging felt like the future. I made
it as far as Thing 9 before a restructure swallowed my evenings and the blog went
quiet. It's still out there, frozen, with a very earnest post about tagging.

So my first goal is modest: get past Thing 9.

I'm a branch librarian now, running a busy suburban library with a small team.
The job is wonderful and relentless. Most days I'm a manager, a rota-juggler, a
tech-support desk, a children's entertainer and occasionally a librarian. What I
miss is time to think about why we do things the way we do, rather than just
doing them.

How do I keep track of what I learn? Mostly I don't. Things go into my head and
stay there until someone asks, which is not a system I'd recommend to anyone.

This is going to the cohort only for now. Maybe I'll be braver in a few weeks.""",
        "action": (
            "Keep going past Thing 9 this time, and tell someone if I start to slip."
        ),
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 77,
    },
    # [4] tom, Thing 1
    {
        "author": "tom",
        "thing": 1,
        "title": "Late to the party",
        "body": """Apologies for being last in, or nearly. It's the end of term
and the library has been a Year 9 revision zone all week.

I'm Tom, and I'm the only librarian in a secondary school of about 1,100 pupils.
That "only" is the main reason I'm here. I don't have colleagues who do what I
do, so everything I learn comes from courses I can rarely get released for, or
from whatever I find online at midnight.

What would make it worthwhile? Feeling a bit less like I'm making it all up.""",
        "action": "Read and comment on three entries this weekend.",
        "minutes": 20,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 72,
    },
    # [5] marcus, Thing 1
    {
        "author": "marcus",
        "thing": 1,
        "title": "Turning the search on myself",
        "body": """\
## What made you sign up for this programme, and what would make it worthwhile for you?

I'm a clinical knowledge specialist in a hospital library, which means I spend a
lot of my week running literature searches for doctors, nurses and managers who
need evidence by Thursday. I'm good at finding things for other people. I'm much
less good at stepping back and asking what I'm learning from it.

It would be worthwhile if I came out of it with a clearer sense of where I want
to go next, and with a couple of new skills I could offer the trust.

## How do you currently keep track of what you learn at work, if at all?

Through my search log, oddly enough. Every search gets a record with the
question, the strategy and the date. It's a brilliant record of what other people
wanted to know and a terrible record of what I learned.

## Who would you like to be able to read your journal, and why?

Public, mostly. Health librarians are a generous bunch online, and I've taken a
lot from them over the years. It's time I put something back.""",
        "action": (
            "Add a one-line 'what I learned' field to the template for my own "
            "search log."
        ),
        "minutes": 35,
        "visibility": "public",
        "status": "published",
        "days_ago": 73,
    },
    # [6] leila, Thing 1
    {
        "author": "leila",
        "thing": 1,
        "title": "Practising what I teach",
        "body": """I teach reflective practice to newly graduated nurses. I have
slides on it. I have a handout with Gibbs' cycle drawn in three colours. And
until this morning I had not written a genuine reflection of my own in about five
years.

That is the uncomfortable reason I signed up. I ask twenty-two-year-olds to be
honest about their mistakes in writing, and then I assess them on it, and I
realised I had no idea how that feels any more.

So this first entry stays private. Not because anything in it is secret, but
because I want to notice what it is like to write without an audience before I
write with one. I suspect I'll learn more about my students from that than from
any workshop.

A practical note: I'm in Toronto, so each Thing opens for me in the evening,
which suits me well. I'll mostly write on Sunday mornings with a coffee.""",
        "action": (
            "Write a reflection alongside my next group of new graduates instead of "
            "only assessing theirs."
        ),
        "minutes": 30,
        "visibility": "private",
        "status": "published",
        "days_ago": 71,
    },
    # [7] greta, Thing 1
    {
        "author": "greta",
        "thing": 1,
        "title": "From the search room",
        "body": """I work in a county record office, looking after collections
that range from medieval deeds to a box of 1980s council minutes that nobody has
opened since they arrived. My days are split between cataloguing, answering
enquiries, and helping people in the search room read handwriting that defeats
them (and sometimes me).

I signed up because archives can be a slightly inward-looking world. We talk to
each other a lot, and to the public less than we should. I'd like to see how
librarians, nurses and analysts think about the people they serve, because I
suspect we have more in common than our job titles suggest.

My current system for recording what I learn is a hardback notebook, which as an
archivist I feel I ought to defend. It has the advantage of still being readable
in two hundred years. It has the disadvantage of being unsearchable now.

Visibility: cohort for now. Did anyone else find that question harder than they
expected?""",
        "action": (
            "Write here first and in the notebook second for a month, and see which "
            "one I reread."
        ),
        "minutes": 50,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 74,
    },
    # [8] owen, Thing 1
    {
        "author": "owen",
        "thing": 1,
        "title": "Not a natural diarist",
        "body": """I'll be straight with you: I'm not a natural diarist. I'm a
records manager at a housing association, which means my job is deciding what
gets kept, for how long, and when it gets destroyed. Writing down my feelings
about work was not something I expected to be doing this year.

My manager suggested it, and I'm willing to give it a fair trial. What would make
it worthwhile is finding two or three practical things I can use, probably around
shared documents and the digital footprint material, which is close to my day
job.

For the record (sorry), I'll review this decision in six weeks.""",
        "action": "Give it six weeks before deciding whether it's for me.",
        "minutes": 15,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 76,
    },
    # [9] hana, Thing 1
    {
        "author": "hana",
        "thing": 1,
        "title": "Hello from tomorrow",
        "body": """Greetings from Sydney, where it is already tomorrow and each
new Thing arrives while I'm asleep. I'm quite enjoying the feeling of being a day
ahead of everyone, even if I'm also a week behind on everything else.

I'm a research data librarian. Day to day that means helping researchers write
data management plans, choose where to deposit their data, and work out what they
can and can't share. It's a young corner of librarianship without a well-worn
path through it, so a lot of what I know I've picked up from people writing
openly online.

## Who would you like to be able to read your journal, and why?

Anyone. I'm going public by default, because open practice is exactly what I ask
researchers to do every day and it would be a bit rich not to. If something is
about a particular researcher or project, it'll stay in the cohort.""",
        "action": (
            "Publish openly by default, and note whenever I decide not to, and why."
        ),
        "minutes": 40,
        "visibility": "public",
        "status": "published",
        "days_ago": 72,
    },
    # [10] joe, Thing 1
    {
        "author": "joe",
        "thing": 1,
        "title": "Written in a car park",
        "body": """I'm writing this in my car between a leg ulcer dressing and a
diabetic review, which is where most of my thinking happens these days. I'm a
district nurse covering three GP practices, so my office is a hatchback and a
phone.

Ben and I trained together, and he's the one who talked me into this. Thanks,
Ben. I think.

What would make it worthwhile: somewhere to put the things I notice on visits
that never make it into the notes. Little things, like how much more people tell
you when you sit down rather than stand, or how often the real problem is
loneliness rather than the wound.

I keep track of learning for revalidation in a spreadsheet that is about two
years out of date.""",
        "action": (
            "Bring the revalidation spreadsheet up to date before the next Thing."
        ),
        "minutes": 20,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 75,
    },
    # [11] ada, Thing 2
    {
        "author": "ada",
        "thing": 2,
        "title": "The standards question I fumbled",
        "body": """\
## What happened, and what was your part in it?

A second-year engineering student came to the desk asking for "the standard for
bolts". I took her at her word, showed her how to search our standards database
for fasteners, and sent her off with three documents and a cheerful "good luck".
She came back twenty minutes later. What she actually needed was the testing
standard for a tensile test she had to write up for a lab report, which is a
completely different document.

## So what: why does this moment matter to you or to the people you serve?

I skipped the reference interview. I know better: I have taught the reference
interview to library students on placement. But it was busy, the question sounded
simple, and I answered the question she asked rather than the one she had. She
lost twenty minutes and probably came away thinking the library was less useful
than it is. It also made me wonder how many students don't come back at all.

## Now what: what will you do differently next time?

One question before any search, however simple the request sounds: "What is it
for?" I've written it on a sticky note on the desk monitor. I'm also going to
suggest adding a short "what is it for" box to the online enquiry form.""",
        "action": (
            "Ask what the information is for before starting any search, and propose "
            "the enquiry form change at the next team meeting."
        ),
        "minutes": 50,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 69,
    },
    # [12] ben, Thing 2
    {
        "author": "ben",
        "thing": 2,
        "title": "Brisk",
        "body": """\
## What happened, and what was your part in it?

Late in a long day shift, the daughter of one of my patients stopped me in the
corridor to ask when her dad would be going home. I was on my way to a patient
who needed help urgently, so I said something like "the doctors will let you
know, probably not today" and kept walking. Accurate, but brisk.

## So what: why does this moment matter to you or to the people you serve?

When I came back past the bay half an hour later, she was sitting with her coat
on her knee, obviously upset. She'd been told three different things by three
different people that week, and my answer was the fourth. For me it was one
question among fifty. For her it was the only one that mattered that day.

I don't think I did anything wrong, exactly. But I could have said "I can't stop
now, but I'll come back in ten minutes", and then actually come back.

## Now what: what will you do differently next time?

- Never answer a discharge question on the move. Stop, or promise a time.
- Check the notes for what the family has already been told before I say
  anything.
- Raise the mixed messages at our next ward meeting, because I'm clearly not the
  only one giving a fourth answer.""",
        "action": "Raise the mixed messages about discharge at the next ward meeting.",
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 66,
    },
    # [13] priya, Thing 2
    {
        "author": "priya",
        "thing": 2,
        "title": "The chart that misled (well, I did)",
        "body": """\
## What happened, and what was your part in it?

I presented the quarterly performance dashboard to a scrutiny committee. One
councillor looked at the bar chart of missed bin collections by area and said,
with real alarm, that one area had three times as many problems as the others. It
didn't. I'd let the software choose the axis, which started at 400 rather than
zero, and the real difference was about 12 percent.

## So what: why does this moment matter to you or to the people you serve?

I corrected it on the spot, politely, but the damage was done. The committee
spent ten minutes on an area that was fine and no time at all on one with a real
upward trend. That's my whole job going wrong in one slide: a chart that was
technically accurate and practically misleading, made by me.

I'm keeping this private because it involves a named committee and I'd rather
nobody could work out who. I'd still like to talk about axes with anyone who will
listen.

## Now what: what will you do differently next time?

Check every axis by hand before anything goes to members, and start a short chart
checklist for the team.""",
        "action": "Write a one-page chart checklist and share it with the team.",
        "minutes": 40,
        "visibility": "private",
        "status": "published",
        "days_ago": 67,
    },
    # [14] siobhan, Thing 2
    {
        "author": "siobhan",
        "thing": 2,
        "title": "Is this website real?",
        "body": """At homework club on Tuesday a boy of about twelve turned his
laptop towards me and asked:

> Miss, is this website real?

He was researching a school project on climate, and he'd found a site that
looked professional, cited lots of numbers and turned out, after five minutes of
poking around, to be run by a company selling something. I was delighted he
asked. Then I was uneasy, because I realised most of the children at that table
wouldn't have.

**What?** A child asked a good question, and I helped him answer it.

**So what?** We run homework club as a quiet space with wifi and a librarian on
hand. We don't really teach anything. But the most useful thing I did all evening
was those five minutes, and I only did it because he happened to ask. Information
literacy in a public library tends to happen by accident.

**Now what?** I'm going to try a ten-minute "is it real?" game at the start of
homework club once a month: three websites, and the children decide which to
trust. Low effort, might be fun, might fall flat. I'll report back.""",
        "action": (
            "Run a ten-minute website detective game at homework club next month."
        ),
        "minutes": 35,
        "visibility": "public",
        "status": "published",
        "days_ago": 68,
    },
    # [15] marcus, Thing 2
    {
        "author": "marcus",
        "thing": 2,
        "title": "Yes, by Thursday",
        "body": """\
## What happened, and what was your part in it?

A consultant emailed on Monday asking for "everything on early mobilisation after
hip fracture" by Thursday, for a guideline meeting. I said yes, ran a broad
search, screened about 300 results and sent a tidy summary of 40 papers. She
replied politely that what she actually needed was evidence on getting patients
with dementia up within 24 hours, and could I look again.

## So what: why does this moment matter to you or to the people you serve?

I'd spent most of two days on the wrong search. She didn't have time for a
conversation on Monday and I didn't insist on one. My habit is to treat
clinicians' time as precious and mine as elastic, which feels helpful but isn't:
if the evidence is off target, the patients at the end of the guideline lose out.

## Now what: what will you do differently next time?

A five-minute scoping call, or a form with three questions, before any search
that will take more than an hour. No exceptions for seniority.""",
        "action": (
            "Make a three-question scoping form and use it for every search request "
            "that will take more than an hour."
        ),
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 65,
    },
    # [16] joe, Thing 2 (draft)
    {
        "author": "joe",
        "thing": 2,
        "title": "Looking at the wound, not the man",
        "body": """\
## What happened, and what was your part in it?

A patient I've visited twice a week for months, a retired joiner who lives alone,
finally had his wound healing nicely, and I was so pleased about it that I didn't
notice he hadn't eaten. His daughter rang the surgery the next day. He'd had
nothing but tea and biscuits for three days because his microwave had broken and
he was too proud to mention it.

## So what: why does this moment matter to you or to the people you serve?

I was looking at the wound, not the man. Which is exactly the thing I said in my
first entry that I was good at noticing. Bit humbling.

## Now what: what will you do differently next time?

(come back to this when I'm not parked outside the next visit)""",
        "action": "",
        "minutes": None,
        "visibility": "private",
        "status": "draft",
        "days_ago": 64,
    },
    # [17] ada, Thing 3
    {
        "author": "ada",
        "thing": 3,
        "title": "Do I have anything to say?",
        "body": """\
## What could you write about that nobody else in your workplace could?

This question stopped me for a while. My first answer was "nothing", which is the
impostor talking. My second, more honest answer is that I'm the only person in
our library who deals with engineering standards every day, and standards are
something students find baffling and librarians find obscure. That's a gap.

Topics I could write about:

1. How to read a standard without losing the will to live.
2. Why the library can't just buy a standard for one student.
3. What engineers ask librarians, and what they never think to ask.
4. Teaching referencing to people who would rather be in the lab.
5. The reference interview I fumbled in Thing 2, and what it taught me.

## What holds you back from writing in public?

Being wrong where people can see it. Also the feeling that everything worth
saying has already been said by someone more experienced. Reading around this
week helped with that, though: the blogs I liked best weren't the most expert,
they were the most specific. One academic librarian wrote 400 words on how she
labels her shelves, and I read every one of them.""",
        "action": (
            "Write a short public guide to reading an engineering standard before the "
            "end of the month."
        ),
        "minutes": 60,
        "visibility": "public",
        "status": "published",
        "days_ago": 62,
    },
    # [18] ben, Thing 3
    {
        "author": "ben",
        "thing": 3,
        "title": "Can nurses blog?",
        "body": """\
## What holds you back from writing in public?

Confidentiality, mostly. Everything interesting that happens to me at work
happens to a patient, and I'd never want anyone to recognise themselves, or their
mum, in something I wrote. Even changing the details feels risky on a ward where
everyone knows everyone.

There's also a quieter worry about my employer. The trust's social media policy
is long and cautious, and I'm not sure where a reflective blog falls in it.

## What could you write about that nobody else in your workplace could?

Night shifts. Not the patients, but the strange world of a hospital at 3am: the
porters who know everything, the politics of the vending machine, what it does to
your body and your family. I read a couple of nurse bloggers this week who write
about exactly that kind of thing, and it felt honest without betraying anyone.

So I think the answer is yes, nurses can blog, as long as we write about
ourselves and our work rather than our patients. I've made this one public as a
small test.""",
        "action": (
            "Read the trust's social media policy properly and ask the practice "
            "educator where reflective writing fits in it."
        ),
        "minutes": 40,
        "visibility": "public",
        "status": "published",
        "days_ago": 60,
    },
    # [19] tom, Thing 3
    {
        "author": "tom",
        "thing": 3,
        "title": "A blog, but for Year 7",
        "body": """I've skipped Thing 2 for now (I'll go back, I promise) because
Thing 3 landed in the same week as a conversation with our head of English about
reading for pleasure. She wants pupils to see what the library is doing, and I've
been wanting an excuse to start a library blog for ages.

So instead of a professional blog, I've set up a small one on the school website
for pupils: new books, a book of the week chosen by a different student each
time, and photos of displays (no faces, as per school policy). Three posts so
far. One got 41 views, which in a school of 1,100 is either terrible or a triumph
depending on how you look at it.

What holds me back from writing publicly as a professional is simpler: time, and
a nagging feeling that school librarians are a bit invisible in the profession.
Maybe that's a reason to write rather than a reason not to.""",
        "action": "Ask two Year 8 pupils to write the next book of the week posts.",
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 58,
    },
    # [20] owen, Thing 3 (draft)
    {
        "author": "owen",
        "thing": 3,
        "title": "Blogging? Really?",
        "body": """I've read three blogs by records managers this week, as
instructed. Two were excellent and one hadn't been updated since 2019, which
felt about right for the profession.

## What holds you back from writing in public?

Mainly that I can't see what I'd say that isn't already in a retention schedule.
My job is about other people's information, and the interesting parts of it are
usually confidential. The rest would bore you.

I'm also not sure the housing sector is short of opinions online. It seems to me
there's more talking than listening.

## What could you write about that nobody else in your workplace could?

Possibly""",
        "action": "",
        "minutes": 20,
        "visibility": "cohort",
        "status": "draft",
        "days_ago": 59,
    },
    # [21] hana, Thing 3
    {
        "author": "hana",
        "thing": 3,
        "title": "Writing for the research office blog",
        "body": """\
## What could you write about that nobody else in your workplace could?

Data management plans from the librarian's side of the table. Researchers usually
meet a plan as a form to fill in at the last minute for a funder, and they mostly
find it baffling. I read dozens of them, so I've seen the same five mistakes over
and over.

So this week I actually wrote something: a short post for our research office
blog, "Five things I wish you'd put in your data management plan". It went
through two rounds of edits with the communications team, who took out all my
jokes and one of my five things. It's live now and has already brought in two
emails from researchers, which is two more than our intranet page has managed in
a year.

## What holds you back from writing in public?

Fear of being quoted back at myself by an annoyed professor. That hasn't happened
yet. Also perfectionism: I rewrote the first paragraph nine times.""",
        "action": "Write a second post, and this time keep at least one of the jokes.",
        "minutes": 75,
        "visibility": "public",
        "status": "published",
        "days_ago": 61,
    },
    # [22] greta, Thing 3
    {
        "author": "greta",
        "thing": 3,
        "title": "The document of the month",
        "body": """Our record office has a blog, and I have been asked twice now
to write the document of the month. Both times I found a reason not to. This
week's Thing made me wonder why.

I think it's because archival work feels so exposed to correction. Every reader
in the search room knows more about their own family than I do, and local
historians can be fierce. A catalogue entry is cautious by design. A blog post
has to say something.

But writing this down makes me see that the caution has become an excuse. A
document of the month doesn't need to be the last word; it can be an invitation.
If someone corrects me, that's a reader who cared enough to write in, and
probably a better catalogue entry afterwards.

I'm keeping this one private because I'm mildly embarrassed about dodging the
rota.""",
        "action": (
            "Say yes the next time I'm asked to write the document of the month."
        ),
        "minutes": 30,
        "visibility": "private",
        "status": "published",
        "days_ago": 57,
    },
    # [23] ada, Thing 4
    {
        "author": "ada",
        "thing": 4,
        "title": "Three hundred unread",
        "body": """\
## Where does your news about your profession come from at the moment?

Honestly? Whatever colleagues forward, a couple of mailing lists, and whatever
turns up in conversation at the desk. It's random, and it leans heavily towards
whoever in the team is most enthusiastic about email.

## Which sources would you miss if they disappeared tomorrow?

I set up a feed reader on Monday and added:

- table of contents alerts for two library journals and one engineering
  education journal
- four librarian blogs I found in Thing 3
- the news page of the standards body we subscribe to
- the cohort's public feed
- a saved database search on information literacy for engineers

By Wednesday I had over three hundred unread items, nearly all from the journal
alerts. I'd miss the blogs and the cohort feed. I would not miss most of the
journal alerts, which is an awkward thing for an academic librarian to admit.

## How much time a week can you realistically give to keeping up?

Thirty minutes on a Tuesday morning, before the desk opens. I've put it in my
calendar as a meeting with myself. The journal alerts now go to a separate folder
that I skim once a month.""",
        "action": (
            "Keep the Tuesday half hour for a month, and prune any source I haven't "
            "read by then."
        ),
        "minutes": 75,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 55,
    },
    # [24] priya, Thing 4
    {
        "author": "priya",
        "thing": 4,
        "title": "An analyst's feed list",
        "body": """Analysts are, in theory, great at current awareness: we live
by release calendars. In practice I know exactly when the next population
estimates come out and have no idea what other analysts are doing with them.

## Where does your news about your profession come from at the moment?

Statistical release calendars, a couple of newsletters about government data, and
a chat group of analysts from neighbouring councils that is 80 percent memes.

## Which sources would you miss if they disappeared tomorrow?

The chat group, memes and all. It's the only place where people say what actually
went wrong.

## How much time a week can you realistically give to keeping up?

Forty minutes, split into two slots of twenty. Any more and it starts to feel
like procrastination with a professional excuse.

I've shared my feed list for anyone who works with public data:
[my analyst feeds](https://example.org/priya/analyst-feeds.opml). It's an OPML
file, so most feed readers will import it in one go. Suggestions very welcome,
especially blogs by analysts outside England.""",
        "action": "Add three analyst blogs from outside England to my feed reader.",
        "minutes": 60,
        "visibility": "public",
        "status": "published",
        "days_ago": 53,
    },
    # [25] marcus, Thing 4
    {
        "author": "marcus",
        "thing": 4,
        "title": "The cobbler's children",
        "body": """A confession: every fortnight I write a current awareness
bulletin for our critical care team. I choose the sources, set up the alerts,
screen the new papers and write a short summary of each. It's one of the most
appreciated things the library does.

And I don't have one for myself. My own feeds hadn't been touched in about three
years, and two of them pointed at journals that no longer exist.

So this week I did for myself what I do for critical care: a short list of
sources, a fixed slot in the diary, and a rule that anything I haven't read in a
month goes. The cobbler's children have shoes again, for now.""",
        "action": (
            "Treat my own current awareness like a client's, and review the sources "
            "every quarter."
        ),
        "minutes": 30,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 51,
    },
    # [26] ada, Thing 5
    {
        "author": "ada",
        "thing": 5,
        "title": "Finding standards: a tiny curated list",
        "body": """The "useful??" folder from my first entry is no more. I spent
an evening moving everything I still wanted into the reference manager we
recommend to students, which I had never used properly myself. Thirty-odd items
made the cut, each with a tag or two. The rest I deleted with a surprising amount
of joy.

## Who in your organisation would benefit from a curated list, and on what topic?

First-year engineers, on finding and reading standards. Building on Thing 3, I
made a list of five: our standards database, a plain-English guide to how a
standard is structured, a short video, our referencing guidance for standards,
and my own email address. Each has one sentence saying why it's there.

## What makes a collection of links trustworthy?

I think it's the annotation. A bare list asks you to trust whoever made it; a
list where each item says why it's there lets you judge for yourself. Also dates.
I've added a "last checked" date to each item, which commits me to checking
them.""",
        "action": (
            "Send the list to the first-year module leaders and ask them to link it "
            "from the lab handbook."
        ),
        "minutes": 45,
        "visibility": "public",
        "status": "published",
        "days_ago": 48,
    },
    # [27] ben, Thing 5
    {
        "author": "ben",
        "thing": 5,
        "title": "The shared drive of doom",
        "body": """Our ward shared drive has a folder called NEW STARTERS READ
THIS, containing 43 documents, several of which contradict each other and at
least one of which is older than my registration. New staff read none of them,
which is honestly the right call.

So for this Thing I curated a list for new starters on our ward: eight links, in
the order you'd actually need them in your first week. The first four:

1. The trust's oxygen prescribing guideline.
2. The competency pack for non-invasive ventilation.
3. Our escalation flowchart.
4. How to book annual leave, because people always ask.

Each has a line saying what it's for. Sister has agreed to put the list at the
top of the folder and to let me archive the worst of the rest. Curation turns out
to be mostly deletion.

For myself, I've started saving guidelines to a notes app on my phone, tagged by
condition. It's already faster than the intranet search.""",
        "action": (
            "Ask the next two new starters whether the list actually helped them."
        ),
        "minutes": 35,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 46,
    },
    # [28] siobhan, Thing 5
    {
        "author": "siobhan",
        "thing": 5,
        "title": "Rhymes and reasons",
        "body": """\
## Who in your organisation would benefit from a curated list, and on what topic?

Parents at rhyme time. Every week at least one parent asks me where to find the
words to a rhyme we've just sung, or something to do at home on a wet afternoon,
or whether a particular app is any good. I've been answering from memory and
pointing at shelves.

So I made a one-page list: a few sites with rhyme words and actions, our own
e-books and e-audiobooks for under-fives, two local parent groups, and the number
for the public health nurses. I printed it on bright yellow paper and left a pile
by the buggy park. Twenty went in a week.

## What makes a collection of links trustworthy?

For parents, I think it's who hands it to them. The list is trusted because a
person they see every week gave it to them, not because of anything on the page.
That's a thought I want to hold on to for advocacy later in the programme.""",
        "action": (
            "Turn the rhyme time list into a page on the library website, with a QR "
            "code on the printed version."
        ),
        "minutes": 40,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 44,
    },
    # [29] ada, Thing 6
    {
        "author": "ada",
        "thing": 6,
        "title": "Everyone I know works in my building",
        "body": """\
## Who do you turn to when you are stuck, and how did you meet them?

I drew the map on the back of an envelope, as suggested. The middle was easy: my
team, two academics in the engineering school, our systems librarian. Then it got
thin very quickly. Almost everyone I go to for help works in the same building as
me, and most of them are librarians.

## Which professional bodies or groups are you part of, and what do you get from them?

My professional body membership, which I pay for and mostly ignore. A standards
user group that meets online twice a year. That's it. I used to belong to a
regional group of academic librarians but drifted away when I changed jobs.

## Where are the gaps in your network?

- Anyone outside higher education.
- Engineers outside my own university.
- People earlier in their careers than me. I have no idea what library school is
  like now.

This cohort is already helping with the first one. I've emailed the regional
group to ask about their next meeting, and joined their mailing list again.""",
        "action": "Go to the next regional group meeting, in person if I can.",
        "minutes": 60,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 41,
    },
    # [30] priya, Thing 6
    {
        "author": "priya",
        "thing": 6,
        "title": "Networking without the lanyard",
        "body": """\
## Who do you turn to when you are stuck, and how did you meet them?

An analyst at a neighbouring council, whom I met at a training day on population
projections. We were the only two people who laughed at the trainer's joke about
confidence intervals. We've swapped code, datasets and complaints ever since, and
I've never actually met her in person again.

## Where are the gaps in your network?

Senior people. My network is wide but flat: analysts at my level, everywhere. I
don't know anyone who makes the decisions my analysis is supposed to inform,
except across the table at a committee. I think that's why my work sometimes
lands badly. I'm guessing at what they need.

I find the word networking faintly horrifying, but thinking of it as asking one
good question of the right person helps. This week I asked our director of
transformation whether I could shadow her for half a day. She said yes, which I
had not prepared for.""",
        "action": (
            "Shadow the director of transformation for half a day and write up what "
            "her week is actually like."
        ),
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 39,
    },
    # [31] leila, Thing 6 (draft)
    {
        "author": "leila",
        "thing": 6,
        "title": "Networks across a very big country",
        "body": """Nurse educators in Ontario have a decent network: a provincial
interest group, a couple of conferences, and an email list that is busier than
most. What I don't have is anyone outside nursing, or anyone outside Canada,
which is partly why I joined a UK programme in the first place.

Gaps, as I see them so far:

- educators in other health professions, such as physiotherapy and pharmacy
- anyone who teaches online really well
- people who aren't educators at all

I'd like to write more about""",
        "action": "Find one educator outside nursing to swap notes with.",
        "minutes": None,
        "visibility": "cohort",
        "status": "draft",
        "days_ago": 37,
    },
    # [32] ada, Thing 7
    {
        "author": "ada",
        "thing": 7,
        "title": "Lurker, reformed (slightly)",
        "body": """A confession for Thing 7: I've been a lurker on social media
for as long as it has existed. I joined the big platforms as a student, followed
hundreds of librarians, and posted perhaps a dozen times in ten years. When the
professional crowd scattered across several newer platforms, I followed some of
them, lurked there too, and quietly stopped opening the old app.

This week I did the listening part properly: twenty minutes on a Thursday evening
in a scheduled chat for academic librarians. The topic was supporting students
with their final-year projects, which is half my job. I read the whole thing,
twice.

Then I replied. Somebody asked how to get engineering students to look beyond the
first page of search results, and I described the exercise we use with
first-years: three search tools, compare the first ten results of each. Four
people replied. One asked for the worksheet. I've never shared a worksheet with a
stranger before, and it felt absurdly good.

What I noticed about who was there: lots of people from large universities, very
few from colleges, almost no engineers. I'm not sure what to do with that yet.""",
        "action": "Join the chat once a month and reply at least once each time.",
        "minutes": 50,
        "visibility": "public",
        "status": "published",
        "days_ago": 34,
    },
    # [33] ben, Thing 7
    {
        "author": "ben",
        "thing": 7,
        "title": "Nurses online, carefully",
        "body": """\
## Which platforms, if any, do you use for work, and what do you get from each?

One, really: a closed group for respiratory nurses, with about 2,000 members.
It's brilliant for practical questions, like whether anyone has tried a new mask,
and terrible for anything that needs nuance. I read it most days and post maybe
twice a month.

## Where do you draw the line between your personal and professional presence?

A hard line. My personal accounts are locked, use a nickname and don't mention
where I work. After reading the trust's policy last month (my action from Thing
3, done!) I'm more comfortable than I was. It's mostly common sense: no patients,
no colleagues without their consent, and don't speak for the trust.

## Has social media ever changed your mind about something at work?

Yes, once. A thread in the group about how different wards handle end-of-life
care for patients on non-invasive ventilation made me realise our approach
wasn't the only one, and not necessarily the best. I took it to our team and
we're reviewing it.""",
        "action": (
            "Share a summary of the end-of-life ventilation discussion with the "
            "practice educator."
        ),
        "minutes": 30,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 31,
    },
    # [34] marcus, Thing 7
    {
        "author": "marcus",
        "thing": 7,
        "title": "Turning the volume down",
        "body": """I'll be the contrarian this week. I used to be very active on
social media for work. I had a reasonable following among health librarians,
joined in with the conference hashtags, and for a while ran a monthly chat. Then
about two years ago I noticed that I was spending more time performing being a
good health librarian than being one.

What I got from it was real: contacts, ideas, a couple of collaborations, and a
sense that I wasn't alone in a very small profession. What it cost me was harder
to see. Attention, mainly. The constant small pull to check. A habit of reading
for something to react to, rather than something to learn from.

So I turned the volume down rather than off. I now check one platform, for twenty
minutes, twice a week, and I post only when I've got something worth a reply. My
following has shrunk. My reading list has grown. I think I'm a better librarian
for it, though I miss the noise more than I expected to.

My suggestion for anyone starting out: treat it like a conference, not like an
office. Go in with a purpose, talk to people, and then leave.""",
        "action": (
            "Keep the twice-a-week rule, and review in three months whether I'm "
            "missing anything important."
        ),
        "minutes": 55,
        "visibility": "public",
        "status": "published",
        "days_ago": 30,
    },
    # [35] ada, Thing 8
    {
        "author": "ada",
        "thing": 8,
        "title": "What the search engine knows",
        "body": """\
## What did you find when you searched for yourself, and did anything surprise you?

Page one: my staff profile (fine, but with a photo from 2016 and an old phone
number), a conference programme from the year I presented a poster, and a 10k
race result with my time, which is nobody's business and rather slow.

Page two was the surprise: a forum post I wrote as an undergraduate, under my
real name, passionately defending a band I would now rather not discuss.

## What would you not want a service user, patient or future employer to see?

The race result, mildly. The forum post, more than mildly, though it's harmless.
What I really don't want is students finding my personal accounts, and they
can't: that side of things is locked down.

Keeping this one private for obvious reasons. Tidying done so far: forum account
deleted (the post stays, sadly), and I've double-checked that none of my public
entries here name a student or a colleague.""",
        "action": (
            "Ask the web team to update my staff profile photo and contact details."
        ),
        "minutes": 40,
        "visibility": "private",
        "status": "published",
        "days_ago": 27,
    },
    # [36] priya, Thing 8 (draft)
    {
        "author": "priya",
        "thing": 8,
        "title": "Personal data, mine and theirs",
        "body": """The search-for-yourself part of this Thing was unremarkable:
my name is common enough that I'm outranked by a dentist and a novelist. Fine by
me.

The part I keep coming back to is the other one. I handle personal data every
day, including datasets where, in a small area, three or four variables would be
enough to identify someone. We have rules for that, like suppressing small
numbers and rounding, but I apply them mechanically, and I'm not sure I could
explain the reasoning to a resident who asked.

## What would you not want a service user, patient or future employer to see?

Note to self: is the answer different for""",
        "action": (
            "Write a plain-English explanation of our rules for suppressing small "
            "numbers."
        ),
        "minutes": 30,
        "visibility": "cohort",
        "status": "draft",
        "days_ago": 23,
    },
    # [37] ada, Thing 9
    {
        "author": "ada",
        "thing": 9,
        "title": "Two minutes of my own voice",
        "body": """\
## When and where do you actually have time to listen or watch?

On the bike: forty minutes each way, three days a week, on a quiet towpath (one
earbud, before anyone worries). I listen to a lot of podcasts but almost none
about work, which says something.

## What did you learn from the episode or video you chose, and would you recommend it?

I took Marcus's advice from a comment a while back and tried an episode of a
podcast about library teaching, on one-shot sessions: the single hour you get
with a class before you never see them again. The idea I'm stealing is to end
every session by asking students to write down the one question they still have,
and to answer them all by email afterwards.

## Could a short video or audio piece help the people you serve?

I recorded a two-minute video on finding a standard in our database. It took
eleven takes, and my voice sounds like someone doing an impression of me. But the
captions worked, the screen recording was clear, and this week I sent it to two
students with standards questions instead of booking appointments. Both said it
helped.""",
        "action": (
            "Record two more short videos, on referencing standards and on requesting "
            "one we don't hold."
        ),
        "minutes": 70,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 20,
    },
    # [38] ben, Thing 9
    {
        "author": "ben",
        "thing": 9,
        "title": "Sleep, nights and a podcast",
        "body": """\
## When and where do you actually have time to listen or watch?

On the bus home after nights, when I'm too wired to sleep and too tired to read.

## What did you learn from the episode or video you chose, and would you recommend it?

I listened to a sleep researcher talking about shift work on a health podcast.
The bit that stuck: the worst thing you can do after a run of nights is try to
reset by staying awake for the whole of your first day off. Better to have a
short sleep in the morning and then go to bed at a normal time. I've been doing
the exact opposite for four years.

I'd recommend it to any nurse who works nights, with a warning that it's quite
depressing in places.

## Could a short video or audio piece help the people you serve?

Maybe for patients going home on oxygen. There's a lot to take in at discharge,
and a two-minute video they could watch again at home might stick better than a
leaflet. That one's for a future Thing, I think.""",
        "action": (
            "Try the short-sleep approach after my next run of nights and see how I "
            "feel."
        ),
        "minutes": 45,
        "visibility": "public",
        "status": "published",
        "days_ago": 17,
    },
    # [39] ada, Thing 10
    {
        "author": "ada",
        "thing": 10,
        "title": "Forty-two unattributed images",
        "body": """I audited my own teaching slides this week. Of the 58 images in
my three main sessions, 42 came from an image search, with no record of where
they came from. Some were clearly lifted from company websites. One diagram, I
now suspect, came from a textbook we don't even hold. I've been teaching students
about referencing while using other people's work without credit, which is not a
comfortable thing to write.

## What does a good attribution look like in practice?

TASL made it concrete. For each replacement image I now note:

- **Title**: what the creator called it
- **Author**: their name or username, as given on the image page
- **Source**: a link to the page where I found it
- **Licence**: for example CC BY 4.0, with a link to the licence

It sits in small text under the image on the slide and takes up almost no room.

## Would you share your own work under a Creative Commons licence? Why or why not?

Yes. My worksheets already go to anyone who asks (see Thing 7), so a licence
just makes that official. I've added CC BY to the standards guide and the
video.""",
        "action": (
            "Replace or attribute every image in my three main teaching sessions "
            "before next term."
        ),
        "minutes": 60,
        "visibility": "public",
        "status": "published",
        "days_ago": 13,
    },
    # [40] ada, Thing 11 (draft)
    {
        "author": "ada",
        "thing": 11,
        "title": "The liaison team's guide (work in progress)",
        "body": """\
## Which document at work would be better written together?

The liaison team's guide to running inductions. It exists in four versions, one
per person, on four different laptops, and each of us thinks ours is the real
one.

This week I started a shared document and invited the other three. So far:

- Two people have edited directly over each other's words.
- One person has added eleven comments and resolved none of them.
- I've been using suggestions, like a good student of Thing 11, and feel smug.

## Notes for later

The conversation about who owns it, and whether""",
        "action": (
            "Agree an owner and some simple rules for the induction guide at the "
            "next team meeting."
        ),
        "minutes": None,
        "visibility": "cohort",
        "status": "draft",
        "days_ago": 3,
    },
    # [41] hana, free reflection
    {
        "author": "hana",
        "thing": None,
        "title": "Why I nearly stopped",
        "body": """A free reflection, because I haven't written an entry since
Thing 3 and I'd like to say why before I try to catch up.

The semester turned. Grant deadlines arrived, as they do, all at once, and every
researcher who had ignored their data management plan for six months suddenly
needed one by Friday. I worked late most nights for three weeks. The Things kept
arriving every Thursday morning, and each one felt like a small reproach.

By week eight I'd decided to quietly drop out. What stopped me was an email from
Fran that didn't ask whether I was keeping up. It simply said she hoped deadline
season was being kind to me, and that the Things would still be here when I was
ready. It was the permission I needed.

So I'm back, out of order, and I'm not going to do all of them. I'll do the ones
that matter for my work, and be honest here about the ones I skip. I suspect I'm
not the only one who needed to hear that this is allowed.""",
        "action": "Catch up on Things 6 and 8, and let the others go without guilt.",
        "minutes": 20,
        "visibility": "public",
        "status": "published",
        "days_ago": 25,
    },
    # [42] siobhan, free reflection
    {
        "author": "siobhan",
        "thing": None,
        "title": "A video call at the enquiry desk",
        "body": """A free reflection, not tied to any one Thing, though it touches
on several.

This afternoon a man in his eighties came to the desk with a new tablet still in
its box, a present from his son. His first grandchild is due any day in
Vancouver and he wanted to be able to see her. We set it up together: wifi, an
account, the video app, and a test call to my colleague's phone across the room.
He had me write every step on a sheet of paper, in capitals.

It took fifty minutes, and it was the best fifty minutes of my week.

I keep thinking about it in the light of this programme. We've spent weeks on
feeds, networks and social media, mostly for ourselves. For a lot of the people
who come through our doors, the first step is still just getting connected at
all, and the library is one of the few places left where someone will sit with
you while you do it.

I'd like to get that into our service plan somehow. Possibly this is advocacy,
three Things early.""",
        "action": (
            "Count digital help sessions at the desk for a month, so there's a number "
            "to go with the story."
        ),
        "minutes": 15,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 9,
    },
    # [43] tom, Thing 11: this week's entries, so "Read next" has something.
    {
        "author": "tom",
        "thing": 11,
        "title": "The reading list nobody owned",
        "body": """\
## What goes wrong when several people edit the same document?

Our Year 9 reading list lives in a shared document that six teachers can edit.
By this week it had three different fonts, two copies of the same novel and a
book that went out of print in 2011. Nobody had done anything wrong. Nobody owned
it either.

## What is the difference between a comment, a suggestion and an edit?

I asked the English department to use suggestions for a fortnight instead of
editing directly. Twenty-two suggestions came in, and for the first time I could
see *why* people wanted a book on the list, not just that they did.

## Which document at work would be better written together?

The induction guide for sixth-formers who help in the library. They know far
better than I do what confused them in their first week.""",
        "action": "Ask two sixth-form helpers to draft the induction guide with me.",
        "minutes": 45,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 5,
    },
    # [44] priya, Thing 11
    {
        "author": "priya",
        "thing": 11,
        "title": "Version 7 final (really)",
        "body": """\
## What goes wrong when several people edit the same document?

Numbers change and nobody knows who changed them. In our team the worst moment is
when a figure in a report no longer matches the spreadsheet it came from, three
days before a committee.

## What is the difference between a comment, a suggestion and an edit?

This week we tried a rule for the quarterly performance report: analysts edit the
tables, everyone else comments. Comments are resolved only by whoever asked the
question. It slowed the first draft down and made the last one much calmer.

## Which document at work would be better written together?

Our data quality notes, which currently live in one colleague's head.""",
        "action": "Start a shared data quality notes document and invite the team.",
        "minutes": 50,
        "visibility": "public",
        "status": "published",
        "days_ago": 4,
    },
    # [45] rosa, free reflection
    {
        "author": "rosa",
        "thing": None,
        "title": "Catching up, finally",
        "body": """\
I've read nearly every entry here and written none, so this is me breaking the
silence before it gets any more awkward.

Eleven weeks in, what I've noticed most is how much of my job is translating: from
incident data into something a station manager can use on a Monday morning, and
back again when they ask a question the data can't answer. Reading librarians and
nurses describe the same translating work in their own words has been oddly
reassuring.

I'm going to pick up from Thing 9 and try to keep pace from here.""",
        "action": "Write my Thing 9 entry this weekend.",
        "minutes": 20,
        "visibility": "cohort",
        "status": "published",
        "days_ago": 2,
    },
]

# Comments form threads on published entries that are not private. "entry" is an
# index into ENTRIES and "parent" is the key of an earlier comment on that entry.
# Replies to a third-level comment (c6, c21, c22, c41) join the third level.
COMMENTS: list[CommentData] = [
    # Ada, Thing 1
    {
        "key": "c1",
        "entry": 0,
        "author": "fran",
        "parent": None,
        "body": (
            "Welcome, Ada, and thank you for going first in public! An email folder "
            "called 'useful??' is the most relatable thing I've read this week. If "
            "the Thursday lunchtimes slip, that's fine: the point is coming back, "
            "not never missing one."
        ),
        "days_ago": 76,
    },
    {
        "key": "c2",
        "entry": 0,
        "author": "ada",
        "parent": "c1",
        "body": (
            "Thank you! The folder is now called 'To read, honestly', which is at "
            "least more truthful. We'll see about Thursdays."
        ),
        "days_ago": 75,
    },
    {
        "key": "c3",
        "entry": 0,
        "author": "ben",
        "parent": None,
        "body": (
            "A PhD student asking you something at four on a Friday sounds a lot "
            "like a relative catching me just as I hand over. Looking forward to "
            "reading the rest of yours."
        ),
        "days_ago": 75,
    },
    {
        "key": "c4",
        "entry": 0,
        "author": "ada",
        "parent": "c3",
        "body": (
            "Yes, it's always the moment you've got your coat on! Do you find you "
            "learn more from those moments than from planned training?"
        ),
        "days_ago": 74,
    },
    {
        "key": "c5",
        "entry": 0,
        "author": "ben",
        "parent": "c4",
        "body": (
            "Definitely. Planned training tells me what the trust thinks I need. The "
            "ambushes at handover tell me what people actually need. Maybe that's "
            "one for Thing 2."
        ),
        "days_ago": 74,
    },
    {
        "key": "c6",
        "entry": 0,
        "author": "siobhan",
        "parent": "c5",
        "body": (
            "Jumping in because this is just as true in public libraries. Our best "
            "training needs analysis is the list of questions we couldn't answer at "
            "the desk. I've started keeping one on a clipboard."
        ),
        "days_ago": 73,
    },
    # Ben, Thing 1
    {
        "key": "c7",
        "entry": 1,
        "author": "fran",
        "parent": None,
        "body": (
            "Hello Ben, and welcome. Writing on the bus home is how a lot of people "
            "have got through this programme, so you're in good company. And you'll "
            "find revalidation much easier with a real journal to draw on; we come "
            "back to that in Thing 22."
        ),
        "days_ago": 74,
    },
    {
        "key": "c8",
        "entry": 1,
        "author": "joe",
        "parent": None,
        "body": (
            "Told you you'd like it. Four years on a ward and wondering what comes "
            "next is exactly where I was before I moved into the community. Happy to "
            "talk it through over a coffee."
        ),
        "days_ago": 74,
    },
    {
        "key": "c9",
        "entry": 1,
        "author": "ben",
        "parent": "c8",
        "body": "I'll take you up on that. You still owe me a coffee from 2019 anyway.",
        "days_ago": 73,
    },
    # Tom, Thing 1
    {
        "key": "c10",
        "entry": 4,
        "author": "ada",
        "parent": None,
        "body": (
            "Solo school librarians are heroes to me. If you ever want someone to "
            "sanity-check an information skills session, I teach a lot of "
            "first-years who were in Year 13 six months earlier, and I'd love to "
            "know what they learned at school."
        ),
        "days_ago": 71,
    },
    {
        "key": "c11",
        "entry": 4,
        "author": "tom",
        "parent": "c10",
        "body": (
            "That would be brilliant, thank you. I'd really like to know what "
            "university librarians wish students arrived knowing. I suspect it "
            "isn't how to use our 3D printer."
        ),
        "days_ago": 70,
    },
    # Greta, Thing 1
    {
        "key": "c12",
        "entry": 7,
        "author": "owen",
        "parent": None,
        "body": (
            "Records manager here, so I feel your notebook dilemma deeply. Readable "
            "in two hundred years but unsearchable now is the entire problem of my "
            "profession in one sentence."
        ),
        "days_ago": 73,
    },
    {
        "key": "c13",
        "entry": 7,
        "author": "greta",
        "parent": "c12",
        "body": (
            "Ha! Do the people you work with understand the difference between "
            "keeping something and being able to find it? That's my daily battle "
            "with depositors."
        ),
        "days_ago": 72,
    },
    {
        "key": "c14",
        "entry": 7,
        "author": "owen",
        "parent": "c13",
        "body": (
            "Almost never. Everyone wants everything kept forever, and then they "
            "ring me to ask where it is. I say 'kept is not the same as findable' so "
            "often that my team put it on a mug."
        ),
        "days_ago": 70,
    },
    # Ada, Thing 2
    {
        "key": "c15",
        "entry": 11,
        "author": "marcus",
        "parent": None,
        "body": (
            "I recognise this so much: my own Thing 2 is nearly the same story, with "
            "a consultant instead of a student. I like 'What is it for?' as a single "
            "question. It's far easier to ask on a busy desk than a whole reference "
            "interview."
        ),
        "days_ago": 68,
    },
    {
        "key": "c16",
        "entry": 11,
        "author": "ada",
        "parent": "c15",
        "body": (
            "Just read yours. Oddly comforting that it happens with hip fractures as "
            "well as bolts! Will you share your scoping form? I'd love to adapt it "
            "for dissertation students."
        ),
        "days_ago": 68,
    },
    {
        "key": "c17",
        "entry": 11,
        "author": "marcus",
        "parent": "c16",
        "body": (
            "Yes, once it's been tested on a few more clinicians. I can send you the "
            "draft now if you don't mind the typos."
        ),
        "days_ago": 67,
    },
    # Ben, Thing 2
    {
        "key": "c18",
        "entry": 12,
        "author": "leila",
        "parent": None,
        "body": (
            "Ben, this is such a clear and honest reflection. I teach new graduates, "
            "and 'never answer a discharge question on the move' is going straight "
            "into my next session, with credit to you if you don't mind."
        ),
        "days_ago": 65,
    },
    {
        "key": "c19",
        "entry": 12,
        "author": "ben",
        "parent": "c18",
        "body": (
            "Of course, I'm flattered. Though I'd add that it's easier to write down "
            "than to do on a short-staffed shift."
        ),
        "days_ago": 64,
    },
    {
        "key": "c20",
        "entry": 12,
        "author": "leila",
        "parent": "c19",
        "body": (
            "Absolutely, and that's the part I want them to hear. The rule only "
            "works if the ward lets you keep it, which makes it a conversation for "
            "the whole team, not just for the nurse in the corridor."
        ),
        "days_ago": 64,
    },
    {
        "key": "c21",
        "entry": 12,
        "author": "fran",
        "parent": "c20",
        "body": (
            "This thread is a lovely example of why we read each other's entries. "
            "Ben, did the mixed messages about discharge make it onto the agenda "
            "for the ward meeting?"
        ),
        "days_ago": 63,
    },
    {
        "key": "c22",
        "entry": 12,
        "author": "ben",
        "parent": "c21",
        "body": (
            "They did! Sister is going to trial a single discharge update board by "
            "each bay, so families and staff see the same plan. I'll report back."
        ),
        "days_ago": 62,
    },
    # Siobhán, Thing 2
    {
        "key": "c23",
        "entry": 14,
        "author": "ada",
        "parent": None,
        "body": (
            "I love the website detective game. We do something similar with "
            "first-years, and the best moment is always when they realise the most "
            "professional-looking site is the one selling something. Please report "
            "back!"
        ),
        "days_ago": 67,
    },
    {
        "key": "c24",
        "entry": 14,
        "author": "siobhan",
        "parent": "c23",
        "body": (
            "I will! Any tips on choosing the three websites? I'm worried about "
            "picking ones that are too obvious."
        ),
        "days_ago": 66,
    },
    {
        "key": "c25",
        "entry": 14,
        "author": "ada",
        "parent": "c24",
        "body": (
            "Pick one that's obviously good, one that's obviously dodgy, and one "
            "that's good but looks dodgy. A plain-looking page from a research "
            "institute works well for that. The third one is where the arguments "
            "start."
        ),
        "days_ago": 65,
    },
    # Ada, Thing 3
    {
        "key": "c26",
        "entry": 17,
        "author": "hana",
        "parent": None,
        "body": (
            "Please write the post on why the library can't just buy a standard for "
            "one student. I have the same conversation about datasets every week, "
            "and I'd happily link to yours."
        ),
        "days_ago": 61,
    },
    {
        "key": "c27",
        "entry": 17,
        "author": "ada",
        "parent": "c26",
        "body": (
            "Deal. It may turn into a rant about licensing, but I'll try to keep it "
            "useful."
        ),
        "days_ago": 60,
    },
    # Ben, Thing 3
    {
        "key": "c28",
        "entry": 18,
        "author": "fran",
        "parent": None,
        "body": (
            "A thoughtful answer to one of the hardest questions in the programme. "
            "Writing about yourself and your work rather than your patients is "
            "exactly the line many nurses who blog have drawn. Good luck with the "
            "policy."
        ),
        "days_ago": 59,
    },
    # Hana, Thing 3
    {
        "key": "c29",
        "entry": 21,
        "author": "greta",
        "parent": None,
        "body": (
            "Two emails from researchers is a great result. Did the comms team say "
            "why they took out the jokes? I've been asked to write for our blog and "
            "I'm nervous about the editing."
        ),
        "days_ago": 60,
    },
    {
        "key": "c30",
        "entry": 21,
        "author": "hana",
        "parent": "c29",
        "body": (
            "Tone, apparently: the blog is the voice of the research office. "
            "Honestly, the edited version is clearer. Send them your draft early and "
            "ask what they usually change; it saves a round."
        ),
        "days_ago": 59,
    },
    # Ada, Thing 4
    {
        "key": "c31",
        "entry": 23,
        "author": "priya",
        "parent": None,
        "body": (
            "Three hundred unread by Wednesday is the most familiar thing I've read "
            "all month. One trick that helped me: filter the journal alerts so you "
            "only keep items with your top three keywords in the title. It cut my "
            "volume by about 80 percent."
        ),
        "days_ago": 54,
    },
    {
        "key": "c32",
        "entry": 23,
        "author": "ada",
        "parent": "c31",
        "body": (
            "Oh, that's clever. Which reader do you use? I'm not sure mine does "
            "filters."
        ),
        "days_ago": 53,
    },
    {
        "key": "c33",
        "entry": 23,
        "author": "priya",
        "parent": "c32",
        "body": (
            "Mine does, but you can also do it at the source: most journal sites let "
            "you set keyword alerts instead of whole table of contents alerts. I've "
            "shared my own feeds in my Thing 4 entry if you want to steal any."
        ),
        "days_ago": 53,
    },
    # Siobhán, Thing 5
    {
        "key": "c34",
        "entry": 28,
        "author": "ada",
        "parent": None,
        "body": (
            "Twenty gone in a week! And 'trusted because of who hands it to them' is "
            "such a sharp observation. I think it's true of students too: they trust "
            "a guide from the librarian who taught them far more than the one on the "
            "website."
        ),
        "days_ago": 43,
    },
    # Ada, Thing 6
    {
        "key": "c35",
        "entry": 29,
        "author": "leila",
        "parent": None,
        "body": (
            "My map looked very similar: everyone inside my hospital, nearly all "
            "nurses. Your list of gaps made me think I should look for people "
            "earlier in their careers too. They're the people I teach, but I don't "
            "really know them."
        ),
        "days_ago": 40,
    },
    {
        "key": "c36",
        "entry": 29,
        "author": "ada",
        "parent": "c35",
        "body": (
            "Teaching people without really knowing them is such a good way of "
            "putting it. Maybe reverse mentoring is the answer; I see it's coming "
            "up in Thing 15."
        ),
        "days_ago": 39,
    },
    # Ada, Thing 7
    {
        "key": "c37",
        "entry": 32,
        "author": "marcus",
        "parent": None,
        "body": (
            "Sharing a worksheet with a stranger is how it starts! Since you're on "
            "the bike a lot, try the library teaching podcasts: there's an episode "
            "on one-shot sessions that covers exactly the question you answered. "
            "I'll send you the link."
        ),
        "days_ago": 33,
    },
    {
        "key": "c38",
        "entry": 32,
        "author": "ben",
        "parent": None,
        "body": (
            "Four replies to your first post is a great return. I've been posting in "
            "my nursing group for a year and my record is two."
        ),
        "days_ago": 33,
    },
    {
        "key": "c39",
        "entry": 32,
        "author": "ada",
        "parent": "c38",
        "body": (
            "I think I just got lucky with the question. How do you decide what's "
            "worth posting in your group?"
        ),
        "days_ago": 32,
    },
    {
        "key": "c40",
        "entry": 32,
        "author": "ben",
        "parent": "c39",
        "body": (
            "Mostly whether I'd have wanted to read the answer myself a year ago. "
            "Practical beats clever, every time."
        ),
        "days_ago": 31,
    },
    {
        "key": "c41",
        "entry": 32,
        "author": "marcus",
        "parent": "c40",
        "body": (
            "'Practical beats clever' is the best social media advice I've seen in "
            "this programme. I've been mulling over a whole entry on the subject and "
            "you've just summed it up in three words."
        ),
        "days_ago": 31,
    },
    # Hana, free reflection
    {
        "key": "c42",
        "entry": 41,
        "author": "fran",
        "parent": None,
        "body": (
            "Thank you for writing this, Hana. Skipping a Thing is allowed, and so "
            "is coming back. I suspect this entry will help others in the cohort "
            "more than any of the Things."
        ),
        "days_ago": 24,
    },
    {
        "key": "c43",
        "entry": 41,
        "author": "ada",
        "parent": None,
        "body": (
            "I needed to read this. I'm keeping up on paper, but a few of my entries "
            "have been written at eleven at night, grudgingly, and you're right that "
            "it shouldn't feel like homework."
        ),
        "days_ago": 23,
    },
    {
        "key": "c44",
        "entry": 41,
        "author": "hana",
        "parent": "c43",
        "body": (
            "Entries written at eleven at night still count! But yes, please don't "
            "let it become a chore. I think the programme works best when we're kind "
            "to ourselves about it."
        ),
        "days_ago": 22,
    },
    # Ada, Thing 9
    {
        "key": "c45",
        "entry": 37,
        "author": "ben",
        "parent": None,
        "body": (
            "Eleven takes is nothing. I recorded a voice note for the ward group "
            "chat and gave up after fifteen. Would you share the video with the "
            "cohort?"
        ),
        "days_ago": 19,
    },
    {
        "key": "c46",
        "entry": 37,
        "author": "ada",
        "parent": "c45",
        "body": (
            "Fifteen! I feel better already. Here it is: "
            "[finding a standard in two minutes]"
            "(https://example.org/ada/finding-a-standard). Be kind about the voice."
        ),
        "days_ago": 18,
    },
    # Ada, Thing 10
    {
        "key": "c47",
        "entry": 39,
        "author": "greta",
        "parent": None,
        "body": (
            "As an archivist I spend a lot of time on the other side of this, "
            "answering requests to reuse images from our collections. A clear "
            "attribution like yours makes my day. Thank you for doing it properly."
        ),
        "days_ago": 12,
    },
    {
        "key": "c48",
        "entry": 39,
        "author": "ada",
        "parent": "c47",
        "body": (
            "That's good to know. Is there anything people usually get wrong when "
            "they credit images from an archive?"
        ),
        "days_ago": 11,
    },
    {
        "key": "c49",
        "entry": 39,
        "author": "greta",
        "parent": "c48",
        "body": (
            "Leaving out the reference number! Without it nobody can find the "
            "original again. For us, title, author and licence are only half the "
            "story."
        ),
        "days_ago": 10,
    },
    # Siobhán, free reflection
    {
        "key": "c50",
        "entry": 42,
        "author": "joe",
        "parent": None,
        "body": (
            "This made me smile in the car park. Half my patients would benefit from "
            "fifty minutes with you. Do health services ever refer people to you for "
            "this, or do they just turn up?"
        ),
        "days_ago": 8,
    },
    # Hana, Thing 1
    {
        "key": "c51",
        "entry": 9,
        "author": "fran",
        "parent": None,
        "body": (
            "Lovely to have you with us, Hana, and a day ahead of the rest of us. "
            "Your point about open practice is a good one. Later in the programme "
            "I'd be interested to hear how you decide what stays in the cohort."
        ),
        "days_ago": 71,
    },
    # Ada, Thing 9: the long conversation, with a private exchange (c63 to c65)
    # and an off-topic aside that someone has reported (c62, see REPORTS).
    {
        "key": "c52",
        "entry": 37,
        "author": "tom",
        "parent": None,
        "body": (
            "The 'one question you still have' idea is going straight into my Year "
            "12 project sessions. I usually get three hands up and twenty-seven "
            "blank faces. How many slips do you get back, and do you really answer "
            "every one?"
        ),
        "days_ago": 19,
    },
    {
        "key": "c53",
        "entry": 37,
        "author": "ada",
        "parent": "c52",
        "body": (
            "From a class of forty, about thirty slips, and a dozen real questions "
            "once you take out 'can I go now'. Answering them took me an hour. Four "
            "of the twelve were the same question, which told me exactly which bit "
            "I'd explained badly."
        ),
        "days_ago": 18,
    },
    {
        "key": "c54",
        "entry": 37,
        "author": "tom",
        "parent": "c53",
        "body": (
            "Four out of twelve asking the same thing is humbling, and it's exactly "
            "the evidence I never get. Trying it on Monday."
        ),
        "days_ago": 18,
    },
    {
        "key": "c55",
        "entry": 37,
        "author": "hana",
        "parent": "c53",
        "body": (
            "We did something similar after our data management workshops and "
            "turned the commonest questions into a short FAQ page. The page now "
            "gets more visits than the workshop recording ever did. Might be worth "
            "doing with your twelve?"
        ),
        "days_ago": 17,
    },
    {
        "key": "c56",
        "entry": 37,
        "author": "ada",
        "parent": "c55",
        "body": (
            "That's a lovely idea, Hana, and far less work than another video. "
            "@priya, you must know how to tell which web pages people actually "
            "use. Could I pick your brains before I write one?"
        ),
        "days_ago": 17,
    },
    {
        "key": "c57",
        "entry": 37,
        "author": "priya",
        "parent": "c56",
        "body": (
            "Of course. Short version: page views flatter you, but the words people "
            "type into your site search tell you what they couldn't find. Happy to "
            "show you on a call next week."
        ),
        "days_ago": 16,
    },
    {
        "key": "c58",
        "entry": 37,
        "author": "marcus",
        "parent": None,
        "body": (
            "Thank you for mentioning captions! Did you write them yourself or "
            "correct the automatic ones? Ours turn 'BNF' into 'be enough', which is "
            "funny right up until someone relies on it."
        ),
        "days_ago": 16,
    },
    {
        "key": "c59",
        "entry": 37,
        "author": "ada",
        "parent": "c58",
        "body": (
            "I corrected the automatic ones. 'BS EN' came out as 'BS and', and "
            "every product code was a new adventure. Fixing them took longer than "
            "recording the video."
        ),
        "days_ago": 15,
    },
    {
        "key": "c60",
        "entry": 37,
        "author": "leila",
        "parent": "c59",
        "body": (
            "That's the part people underestimate. When we started captioning our "
            "teaching videos, a deaf colleague told us automatic captions can be "
            "worse than none, because you trust them. Now we plan as much time for "
            "the captions as for the filming."
        ),
        "days_ago": 15,
    },
    {
        "key": "c61",
        "entry": 37,
        "author": "fran",
        "parent": "c60",
        "body": (
            "Leila's rule is a good one to keep, and Thing 17, Accessible by "
            "default, picks it up. Ada, would you show the video at our halfway "
            "meet-up? Two minutes is exactly the right length for the start of the "
            "session."
        ),
        "days_ago": 14,
    },
    {
        "key": "c62",
        "entry": 37,
        "author": "owen",
        "parent": None,
        "body": (
            "Slightly off topic, sorry: is anyone going to the regional information "
            "management day in Cardiff next month? I'm looking for someone to share "
            "the drive from Newport and split the parking."
        ),
        "days_ago": 13,
    },
    {
        "key": "c63",
        "entry": 37,
        "author": "joe",
        "parent": None,
        "body": (
            "Keeping this one between us, Ada. I've been asked to make short videos "
            "for patients on looking after their dressings between visits, and I'm "
            "dreading it. Could I send you my first go before anyone at work sees "
            "it?"
        ),
        "days_ago": 12,
        "private": True,
    },
    {
        "key": "c64",
        "entry": 37,
        "author": "ada",
        "parent": "c63",
        "body": (
            "Of course, and thank you for asking. Send it whenever you like; I'll "
            "be honest and kind. One tip that helped me: write the script the way "
            "you'd say it out loud, not the way you'd write it in notes."
        ),
        "days_ago": 11,
    },
    {
        "key": "c65",
        "entry": 37,
        "author": "joe",
        "parent": "c64",
        "body": (
            "Sent. Three takes rather than eleven, which I'm choosing to call progress."
        ),
        "days_ago": 10,
    },
    {
        "key": "c66",
        "entry": 37,
        "author": "siobhan",
        "parent": None,
        "body": (
            "Late to this, but I showed your video to our team as an example of "
            "what short really means. We'd been planning a twenty-minute video on "
            "the library app; now it's four of three minutes each."
        ),
        "days_ago": 9,
    },
    {
        "key": "c67",
        "entry": 37,
        "author": "ada",
        "parent": "c66",
        "body": (
            "That's made my week. Four short ones will be much easier to redo when "
            "the app changes, too."
        ),
        "days_ago": 8,
    },
    # Tom, Thing 11: a first comment for one of this week's entries.
    {
        "key": "c68",
        "entry": 43,
        "author": "fran",
        "parent": None,
        "body": (
            "Asking the sixth-formers is inspired: they remember their first week "
            "far better than we do. Twenty-two suggestions with reasons is a lovely "
            "result too."
        ),
        "days_ago": 4,
    },
]

# Members who liked an entry; "entry" is an index into ENTRIES.
LIKES: list[LikeData] = [
    {"entry": 37, "users": ["ben", "tom", "hana", "siobhan", "fran"]},
    {"entry": 29, "users": ["leila", "priya"]},
    {"entry": 0, "users": ["ben", "siobhan", "fran"]},
    {"entry": 24, "users": ["ada", "owen"]},
    {"entry": 42, "users": ["joe"]},
]

# Reports on comments ("comment" is a key in COMMENTS), for the moderation queue.
REPORTS: list[ReportData] = [
    {
        "comment": "c49",
        "reporter": "rosa",
        "reason": "unkind",
        "details": "Sorry, I think I pressed this by mistake on my phone.",
        "dismissed": True,
    },
    {
        "comment": "c62",
        "reporter": "greta",
        "reason": "off_topic",
        "details": (
            "Nothing wrong with it, but it isn't about Ada's video. Could the lift "
            "share go in an entry of its own?"
        ),
        "dismissed": False,
    },
]
