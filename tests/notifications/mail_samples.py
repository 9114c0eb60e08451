"""Replies as mail programs send them, written by us after their usual shape:
Gmail (text and HTML, quote in gmail_quote), Outlook (the From/Sent block after a
rule, divRplyFwdMsg), Apple Mail on an iPhone (format=flowed, "Sent from my
iPhone", the quote header itself quoted), HTML-only messages, German Gmail, and
one with a picture attached. Each takes the reply address (`to`), the sender
(`sender`), a Message-ID (`message_id`) and the reply's words (`text`)."""

import base64
import quopri

QUOTED = "Good one. Have you tried the feed reader yet?"

GMAIL = """\
MIME-Version: 1.0
Date: Tue, 8 Dec 2026 10:12:03 +0000
Message-ID: <{message_id}>
In-Reply-To: <notification-1@ponder.test>
Subject: Re: Ben Cohort-Mate commented on your entry
From: Ada Author <{sender}>
To: Ponder <{to}>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"

{text}

On Tue, 8 Dec 2026 at 10:00, Ponder <{to}> wrote:

> Ben Cohort-Mate commented on your entry "Feeds":
>
> > {quoted}
>
> Read it and reply: http://127.0.0.1:8000/ada/feeds/#comment-1
>

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">{html}</div><br><div class="gmail_quote"><div dir="ltr" \
class="gmail_attr">On Tue, 8 Dec 2026 at 10:00, Ponder &lt;{to}&gt; wrote:<br></div>\
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">\
<p><strong>Ben Cohort-Mate commented on your entry</strong></p>\
<blockquote>{quoted}</blockquote></blockquote></div>

--000000000000a1b2c3--
"""

OUTLOOK = """\
From: Ada Author <{sender}>
To: Ponder <{to}>
Subject: RE: Ben Cohort-Mate commented on your entry
Date: Tue, 8 Dec 2026 10:14:55 +0000
Message-ID: <{message_id}>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
\tboundary="_000_DB9PR01MB1234_"
MIME-Version: 1.0

--_000_DB9PR01MB1234_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

{text_qp_latin1}

Get Outlook for iOS<https://aka.ms/o0ukef>
________________________________
From: Ponder <{to}>
Sent: Tuesday, December 8, 2026 10:00 AM
To: Ada Author <{sender}>
Subject: Ben Cohort-Mate commented on your entry

Ben Cohort-Mate commented on your entry "Feeds":

> {quoted}

--_000_DB9PR01MB1234_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
=3Diso-8859-1"><style type=3D"text/css" style=3D"display:none;"> P {{margin-t=
op:0;margin-bottom:0;}} </style></head><body dir=3D"ltr"><div class=3D"elem=
entToProof">{html_qp}</div><div id=3D"appendonsend"></div><hr style=3D"disp=
lay:inline-block;width:98%" tabindex=3D"-1"><div id=3D"divRplyFwdMsg" dir=3D"=
ltr"><font face=3D"Calibri, sans-serif"><b>From:</b> Ponder &lt;{to}&gt;<br><=
b>Sent:</b> Tuesday, December 8, 2026 10:00 AM</font></div><div>Ben Cohort-=
Mate commented on your entry<blockquote>{quoted}</blockquote></div></body></=
html>

--_000_DB9PR01MB1234_--
"""

APPLE_MAIL = """\
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (1.0)
Subject: Re: Ben Cohort-Mate commented on your entry
From: Ada Author <{sender}>
Date: Tue, 8 Dec 2026 10:20:41 +0000
Message-Id: <{message_id}>
To: Ponder <{to}>
X-Mailer: iPhone Mail (22B91)

{text_qp}

Sent from my iPhone

> On 8 Dec 2026, at 10:00, Ponder <{to}> wrote:
>=20
> =EF=BB=BFBen Cohort-Mate commented on your entry "Feeds":
>=20
>> {quoted}
"""

HTML_ONLY = """\
From: Ada Author <{sender}>
To: {to}
Subject: Re: Ben Cohort-Mate commented on your entry
Message-ID: <{message_id}>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><body><p>{html}</p>
<blockquote type="cite"><p>Ben Cohort-Mate commented on your entry:</p>
<blockquote>{quoted}</blockquote></blockquote></body></html>
"""

GERMAN_GMAIL = """\
MIME-Version: 1.0
Message-ID: <{message_id}>
Subject: Re: Ben Cohort-Mate hat deinen Eintrag kommentiert
From: Ada Author <{sender}>
To: Ponder <{to}>
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

{text}

Am Di., 8. Dez. 2026 um 10:00 Uhr schrieb Ponder <{to}>:

> Ben Cohort-Mate hat deinen Eintrag kommentiert:
> > {quoted}
"""

PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a") + b"\0" * 32).decode()

WITH_PICTURE = """\
MIME-Version: 1.0
Message-ID: <{message_id}>
Subject: Re: Ben Cohort-Mate commented on your entry
From: Ada Author <{sender}>
To: Ponder <{to}>
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: text/plain; charset="UTF-8"

{text}

On Tue, 8 Dec 2026 at 10:00, Ponder <{to}> wrote:
> {quoted}

--mixed-boundary
Content-Type: image/png; name="whiteboard.png"
Content-Disposition: attachment; filename="whiteboard.png"
Content-Transfer-Encoding: base64

{png}
--mixed-boundary--
"""


def _quoted_printable(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.encode(charset, "xmlcharrefreplace")).decode(
        "ascii"
    )


def shaped(
    shape: str, *, to: str, sender: str, message_id: str, text: str, **extra
) -> bytes:
    """The message in `shape`, with `text` as its reply (HTML where needed)."""
    html = text.replace("\n\n", "</p><p>").replace("\n", "<br>")
    values = {
        "to": to,
        "sender": sender,
        "message_id": message_id,
        "text": text,
        "text_qp": _quoted_printable(text),
        "text_qp_latin1": _quoted_printable(text, "iso-8859-1"),
        "html": html,
        "html_qp": _quoted_printable(html, "iso-8859-1"),
        "quoted": QUOTED,
        "png": PNG,
        **extra,
    }
    return shape.format(**values).replace("\n", "\r\n").encode("utf-8")
