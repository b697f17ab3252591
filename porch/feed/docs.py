"""docs/feed.md, written from the layouts the code reads (`manage.py feed_docs`), so the
published columns cannot drift from the code; a test checks the committed file is current."""

from __future__ import annotations

from porch.feed.entities import ENTITIES, ORDER

INTRO = """# The housing record feed: file layout

<!-- Written by `manage.py feed_docs` from porch/feed/: edit the code, then run it again. -->

Porch keeps a copy of the landlord's housing record (homes, tenancies, people, who belongs to
which tenancy, contact details, repairs jobs raised there) in step with the housing management
system (HMS). The HMS sends one file per kind of record:

- **uploaded** by a system administrator on the staff pages (Staff home, Housing record feed);
- **dropped into an import folder** and loaded by `manage.py feed_import FOLDER --apply` (run
  it nightly from cron; files done move to `FOLDER/done/`);
- **sent through the API** by a connected system (see `docs/feed-api.md`).

All three go through the same pipeline.

## Rules for every file

- CSV (UTF-8, a byte order mark allowed, comma-separated, a header row of the column names
  below in any order) or JSON lines (one JSON object a line, values as text or null). The
  file's name starts with its kind (`properties.csv`, `tenancies-2026-11-30.csv`).
- Dates are written year-month-day (`2026-04-01`). Empty means none.
- **Refused whole**, with the reason, and nothing applied: not UTF-8, a missing or unknown
  column, a line with more or fewer values than the header, a damaged quote, a file that stops
  part-way through a line (cut short), no rows.
- **Refused alone**: a row with a bad value, a reference it points to that is not here, an end
  before a start, a reference that appears twice in one file. The error report lists each one
  (line, column, why) and can be downloaded as CSV; it never copies the row's values. Every
  other row is applied. Each row is all or nothing.
- **Matched by the HMS's own references** and nothing else. Sending the same rows again
  changes nothing; a row that differs changes only what differs. The same file sent twice is
  one batch.
- **Previewed first**: every batch is worked through and rolled back, and the preview shows
  what would be created, changed and ended. A batch that would end more than 2% of current
  tenancies (`FEED_MAX_ENDING_SHARE`), or move more than 25 people between tenancies
  (`FEED_MAX_MOVES`), waits for a second person's approval.
- **Applied in chunks** that each commit with the batch's progress: a run stopped part-way
  (a worker stopped, a deploy) carries on where it stopped when started again, and nothing
  is counted or changed twice.
- **Send the files in this order**, each after the one before is applied, so that every row
  finds what it points to: {order}.

## What follows at once

- A tenancy or membership whose end date is today or earlier: the people it covered lose
  access to that tenancy on their next page, and anyone of them signed in is signed out.
  The change is in the audit log, as a change by "our housing records".
- A tenancy stays with its home, and a membership with its tenancy and person: a move is an
  end date on the old one and a new one, so a new tenancy of a home starts with nothing of
  the tenancy before it.
- A new person whose name and date of birth are those of someone already here, under another
  reference, is **held** for staff to look at (Staff home, Housing record feed, People held),
  never merged. Put duplicates right in the HMS.
- When the email address or mobile number a resident signs in with changes, the old one is
  told (without the new one).

A sample set is in `docs/feed-sample/`: the first 20 homes of the 1,000-home demo that
`make run` seeds, written by `manage.py feed_export docs/feed-sample --homes 20`.
"""


def feed_doc() -> str:
    parts = [INTRO.format(order=", ".join(f"`{name}`" for name in ORDER))]
    for name in ORDER:
        layout = ENTITIES[name].layout
        parts.append(f"\n## {layout.title}: `{name}`\n\n{layout.about}\n")
        if layout.load_after:
            parts.append(f"\nSend after: {', '.join(f'`{after}`' for after in layout.load_after)}.\n")
        parts.append(
            f"\nMatched by `{layout.key}`.\n\n| Column | Required | What it holds | Example |\n|---|---|---|---|\n"
        )
        for column in layout.columns:
            required = "yes" if column.required else "no"
            parts.append(f"| `{column.name}` | {required} | {column.about} | {column.example} |\n")
    return "".join(parts)
