"""`newsgraph claims` (the claims made across articles: list, show, the hand edits unlink/merge/unmerge, build),
`newsgraph claim TEXT` (a claim checked against the store), `newsgraph contradictions` and `newsgraph stories`."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from newsgraph.cli.common import (
    EXIT_INPUT_FAILED,
    EXIT_OK,
    CommandError,
    add_db_argument,
    clip,
    date_argument,
    open_store,
    out_console,
    say,
)

if TYPE_CHECKING:
    from rich.console import Console

    from newsgraph.records import Claim, ClaimStatement, Contradiction, NewsStory


@contextmanager
def refused_as_input(*kinds: type[Exception]) -> Iterator[None]:
    """An expected refusal of the store or the model (a bad claim id, no stance model) as a one-line error."""
    try:
        yield
    except kinds as exc:
        raise CommandError(str(exc), EXIT_INPUT_FAILED) from None


def claim_id(value: str) -> int:
    """A claim, story or statement id as the listings write it: 12 or #12."""
    digits = value.removeprefix("#")
    if not digits.isdigit() or not 0 < int(digits) < 2**31:
        raise argparse.ArgumentTypeError(f"must be an id such as 12 or #12, not {value!r}")
    return int(digits)


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def add_commands(sub: Any) -> None:
    listing = sub.add_parser(
        "claims", help="claims made in several articles: who said them, where first seen, who repeated them",
        description="List the claims whose statements come from several articles (the same quote republished, its "
        "indirect version, other speakers asserting the same): first seen, outlets, speakers, number of "
        "articles. `claims show ID` gives every statement with the evidence of its link; `claims unlink`, `merge` "
        "and `unmerge` correct the grouping, recorded and undoable; `claims build` groups statements stored "
        "without claims (a store from before, or `ingest --no-claims`).")
    add_db_argument(listing)
    listing.add_argument("--min-articles", type=positive, default=2, metavar="N",
                         help="only claims with statements from at least N articles (default 2)")
    listing.add_argument("--actor", metavar="NAME", help="only claims with a statement by this actor (name or id)")
    listing.add_argument("--since", type=date_argument, metavar="YYYY-MM-DD", help="only claims first seen from then")
    listing.add_argument("--limit", type=positive, default=50, metavar="N", help="how many (default 50)")
    listing.set_defaults(func=cmd_claims)
    actions = listing.add_subparsers(dest="action", metavar="ACTION",
                                     help="show ID, unlink CLAIM STATEMENT, merge KEEP OTHER, unmerge OTHER, build, "
                                     "regroup")
    show = actions.add_parser("show", help="a claim's statements, first seen first, with the evidence of each link")
    show.add_argument("claim", type=claim_id, metavar="ID")
    add_db_argument(show)
    show.set_defaults(func=cmd_show)
    unlink = actions.add_parser("unlink", help="take a statement out of a claim (into a claim of its own)")
    unlink.add_argument("claim", type=claim_id, metavar="CLAIM")
    unlink.add_argument("statement", type=claim_id, metavar="STATEMENT", help="the statement id `claims show` lists")
    add_db_argument(unlink)
    unlink.set_defaults(func=cmd_unlink)
    merge = actions.add_parser("merge", help="make claim OTHER part of claim KEEP")
    merge.add_argument("keep", type=claim_id, metavar="KEEP")
    merge.add_argument("other", type=claim_id, metavar="OTHER")
    add_db_argument(merge)
    merge.set_defaults(func=cmd_merge)
    unmerge = actions.add_parser("unmerge", help="undo `claims merge`: claim OTHER gets its statements back")
    unmerge.add_argument("other", type=claim_id, metavar="OTHER")
    add_db_argument(unmerge)
    unmerge.set_defaults(func=cmd_unmerge)
    build = actions.add_parser("build", help="group the stored statements that have no claim vector yet")
    add_db_argument(build)
    build.set_defaults(func=cmd_build)
    regroup = actions.add_parser("regroup", help="group every stored statement again from its stored vector "
                                                  "(refused when the claims have hand edits)")
    add_db_argument(regroup)
    regroup.set_defaults(func=cmd_regroup)
    stance = actions.add_parser("stance", help="ask the stance model whether each statement of a claim disagrees "
                                "with the claim's first statement, and keep those as contradictions (kind stance)")
    add_db_argument(stance)
    stance.set_defaults(func=cmd_stance)

    check = sub.add_parser(
        "claim", help="check a claim against the store: the nearest statements and their claims",
        description="Find the stored statements nearest TEXT by sentence embedding, with their speakers, "
        "certainty and claims; with the stance model installed (newsgraph.stance), listed by stance (agree, "
        "disagree, discuss, unrelated).")
    check.add_argument("text", metavar="TEXT", help="the claim, e.g. \"Russian troops shelled Bucha\"")
    add_db_argument(check)
    check.add_argument("--limit", type=positive, default=10, metavar="N", help="how many statements (default 10)")
    check.set_defaults(func=cmd_claim)

    contra = sub.add_parser(
        "contradictions", help="statements that deny, rebut or negate another source's claim",
        description="List pairs of statements about one claim that disagree: a speaker denying what another "
        "asserted, a statement its own article reports as denied or disputed against another article's "
        "assertion, a negated version by another speaker, or a stance model's `disagree`.")
    add_db_argument(contra)
    contra.add_argument("--actor", metavar="NAME", help="only those where this actor asserts or contradicts")
    contra.add_argument("--since", type=date_argument, metavar="YYYY-MM-DD", help="only those said from then")
    contra.add_argument("--limit", type=positive, default=50, metavar="N", help="how many (default 50)")
    contra.set_defaults(func=cmd_contradictions)

    stories = sub.add_parser(
        "stories", help="articles about one happening, grouped: near-duplicates, shared claims, shared events",
        description="List the stories: articles linked as near-duplicates, by a shared claim or by events of one "
        "type with shared actors (and place) within a few days. `stories show ID` gives its articles, the links "
        "and the timeline of its claims.")
    add_db_argument(stories)
    stories.add_argument("--min-articles", type=positive, default=2, metavar="N",
                         help="only stories of at least N articles (default 2)")
    stories.add_argument("--limit", type=positive, default=50, metavar="N", help="how many (default 50)")
    stories.set_defaults(func=cmd_stories)
    story_actions = stories.add_subparsers(dest="action", metavar="ACTION", help="show ID")
    story = story_actions.add_parser("show", help="a story's articles, links and timeline")
    story.add_argument("story", type=claim_id, metavar="ID")
    add_db_argument(story)
    story.set_defaults(func=cmd_story)


def actor_filter(engine: Any, name: str | None) -> int | None:
    if name is None:
        return None
    from newsgraph.cli.actors import actor_ref

    return actor_ref(engine, name)


def cell(text: str | None, width: int = 0) -> Any:
    from rich.text import Text

    return Text(clip(text or "", width) if width else (text or ""))


def cmd_claims(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from rich.table import Table

    from newsgraph.store.claim_views import list_claims

    found = list_claims(engine, args.min_articles, actor_filter(engine, args.actor), args.since, args.limit)
    if not found:
        say(f"no claims with statements from {args.min_articles} or more articles"
            + (" by that actor" if args.actor else ""))
        return EXIT_OK
    table = Table(title=f"Claims in {args.min_articles}+ articles, most repeated first")
    for column in ("id", "claim", "first seen", "articles", "outlets", "speakers"):
        table.add_column(column, justify="right" if column in ("id", "articles") else "left")
    for c in found:
        first = c.first_seen
        table.add_row(f"#{c.id}", cell(c.text, 90), cell(f"{first.published or first.day} {first.outlet or ''}"
                                                          if first else ""),
                      str(c.article_count), cell(", ".join(c.outlets[:4])), cell(", ".join(c.speakers[:4])))
    out_console().print(table)
    return EXIT_OK


def statement_line(s: ClaimStatement) -> str:
    return (f"[{s.statement_id}] {s.published or s.day or '?'} {s.outlet or '?'} {s.article} {s.local_id} "
            f"{s.speaker or '(no speaker)'} ({s.certainty}): {clip(s.content.text, 160)}")


def evidence_line(s: ClaimStatement) -> str:
    if s.rule is None:
        return ""
    parts = [s.rule]
    if s.similarity is not None:
        parts.append(f"similarity {s.similarity:.2f} to [{s.matched_id}]")
    if s.shared_speaker:
        parts.append("same speaker")
    if s.shared_actors:
        parts.append("both name " + ", ".join(s.shared_actors))
    return "      " + "; ".join(parts)


def print_claim(console: Console, claim: Claim) -> None:
    console.print(f"Claim #{claim.id}: {claim.text}", markup=False)
    if claim.first_seen:
        f = claim.first_seen
        console.print(f"First seen: {f.published or f.day} in {f.outlet or '?'} ({f.article})", markup=False)
    console.print(f"Outlets: {', '.join(claim.outlets) or '-'}; speakers: {', '.join(claim.speakers) or '-'}",
                  markup=False)
    console.print("Certainty over time: " + "; ".join(f"{c.day or '?'} {c.certainty} x{c.count}"
                                                      for c in claim.certainty_over_time), markup=False)
    console.print(f"Statements ({len(claim.statements)}, from {claim.article_count} articles):", markup=False)
    for s in claim.statements:
        console.print("  " + statement_line(s), markup=False)
        if line := evidence_line(s):
            console.print(line, markup=False)


def cmd_show(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claim_views import claim_detail

    claim = claim_detail(engine, args.claim)
    if claim is None:
        raise CommandError(f"no claim {args.claim} in the store", EXIT_INPUT_FAILED)
    if claim.id != args.claim:
        say(f"claim {args.claim} was merged into claim {claim.id}")
    print_claim(out_console(), claim)
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claims import ClaimEditError, unlink_statement

    with refused_as_input(ClaimEditError):
        alone = unlink_statement(engine, args.claim, args.statement)
    say(f"statement {args.statement} is now claim {alone} of its own "
        f"(`newsgraph claims merge {args.claim} {alone}` undoes it)")
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claims import ClaimEditError, merge_claims

    with refused_as_input(ClaimEditError):
        done = merge_claims(engine, args.keep, args.other)
    say(f"claim {done.other} merged into claim {done.keep} ({done.statements} statements moved; "
        f"`newsgraph claims unmerge {done.other}` undoes it)")
    return EXIT_OK


def cmd_unmerge(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claims import ClaimEditError, unmerge_claim

    with refused_as_input(ClaimEditError):
        done = unmerge_claim(engine, args.other)
    say(f"claim {done.other} has its {done.statements} statements back from claim {done.keep}")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.embeddings import EncoderUnavailable
    from newsgraph.store.claims import build_claims, claims_encoder

    with refused_as_input(EncoderUnavailable):
        claims_encoder()  # the one build_claims uses, loaded once: a missing model is a one-line error
    done = build_claims(engine)
    say(f"grouped the statements of {done} articles into claims")
    return EXIT_OK


def cmd_stance(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claims import add_stance_contradictions

    with refused_as_input(LookupError):
        added = add_stance_contradictions(engine)
    say(f"the stance model found {added} statements that disagree with their claim")
    return EXIT_OK


def cmd_regroup(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claims import ClaimEditError, claim_count, regroup_claims

    with refused_as_input(ClaimEditError):
        done = regroup_claims(engine)
    with engine.connect() as conn:
        count = claim_count(conn)
    say(f"regrouped the statements of {done} articles: {count} claims with statements from 2 or more articles")
    return EXIT_OK


def cmd_claim(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise CommandError("the claim text is empty")
    engine = open_store(args)
    from newsgraph.embeddings import EncoderUnavailable
    from newsgraph.store.claim_views import check_claim

    with refused_as_input(EncoderUnavailable):
        matches = check_claim(engine, args.text, args.limit)
    if not matches:
        say("the store has no statements with claim vectors (`newsgraph claims build` makes them)")
        return EXIT_OK
    console = out_console()
    order = {"agree": 0, "disagree": 1, "discuss": 2, "unrelated": 3}
    if any(m.stance for m in matches):
        matches.sort(key=lambda m: (order.get(m.stance or "", 4), -m.similarity))
    else:
        console.print("(no stance model installed: by similarity)", markup=False)
    for m in matches:
        stance = f"{m.stance} {m.stance_confidence:.2f} " if m.stance and m.stance_confidence is not None else ""
        claim = f" claim #{m.claim_id}" if m.claim_id else ""
        console.print(f"{stance}{m.similarity:.2f}{claim} " + statement_line(m.statement), markup=False)
    return EXIT_OK


def print_contradiction(console: Console, c: Contradiction) -> None:
    import json

    why = json.loads(c.evidence).get("why", "") if c.evidence.startswith("{") else c.evidence
    confidence = f" {c.confidence:.2f}" if c.confidence is not None else ""
    console.print(f"#{c.id} {c.kind}{confidence} on claim #{c.claim_id}: {clip(c.claim, 120)} ({why})", markup=False)
    console.print("  asserts:     " + statement_line(c.statement), markup=False)
    console.print("  contradicts: " + statement_line(c.other), markup=False)


def cmd_contradictions(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.claim_views import list_contradictions

    found = list_contradictions(engine, actor_filter(engine, args.actor), args.since, args.limit)
    if not found:
        say("no contradictions found" + (" for that actor" if args.actor else ""))
        return EXIT_OK
    console = out_console()
    for c in found:
        print_contradiction(console, c)
    return EXIT_OK


def cmd_stories(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from rich.table import Table

    from newsgraph.store.stories import list_stories

    found = list_stories(engine, args.min_articles, args.limit)
    if not found:
        say(f"no stories of {args.min_articles} or more articles")
        return EXIT_OK
    table = Table(title=f"Stories of {args.min_articles}+ articles, the most articles first")
    for column in ("id", "first article", "days", "articles", "outlets", "linked by"):
        table.add_column(column, justify="right" if column in ("id", "articles") else "left")
    for s in found:
        outlets = sorted({a.outlet for a in s.articles if a.outlet})
        kinds = sorted({link.kind for link in s.links})
        table.add_row(f"#{s.id}", cell(s.title, 70), cell(f"{s.first_day or '?'} - {s.last_day or '?'}"),
                      str(len(s.articles)), cell(", ".join(outlets[:4])), cell(", ".join(kinds)))
    out_console().print(table)
    return EXIT_OK


def print_story(console: Console, story: NewsStory) -> None:
    console.print(f"Story #{story.id}: {story.title or '(untitled)'}, {story.first_day or '?'} to "
                  f"{story.last_day or '?'}", markup=False)
    console.print(f"Articles ({len(story.articles)}):", markup=False)
    for a in story.articles:
        console.print(f"  {a.published or '?'} {a.outlet or '?'} {a.article}: {clip(a.title or '', 90)}", markup=False)
    console.print("Linked by:", markup=False)
    for link in story.links:
        console.print(f"  {link.kind}: {link.article} ~ {link.other}: {clip(link.detail, 120)}", markup=False)
    if story.timeline:
        console.print("Timeline of its claims:", markup=False)
        for e in story.timeline:
            console.print(f"  {e.day or '?'} {e.outlet or '?'} claim #{e.claim_id} {e.speaker or '(no speaker)'} "
                          f"({e.certainty}): {clip(e.content, 140)}", markup=False)


def cmd_story(args: argparse.Namespace) -> int:
    engine = open_store(args)
    from newsgraph.store.stories import story_detail

    story = story_detail(engine, args.story)
    if story is None:
        raise CommandError(f"no story {args.story} in the store", EXIT_INPUT_FAILED)
    print_story(out_console(), story)
    return EXIT_OK
