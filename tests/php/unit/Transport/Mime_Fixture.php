<?php
/**
 * A message in the shape PHPMailer builds it: To with an encoded name holding a comma, Cc,
 * Reply-To, an encoded subject, text and HTML, an inline image and an attachment with a
 * non-ASCII name, a custom header.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

final class Mime_Fixture {

	public const PNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

	public const PDF = "%PDF-1.4\n\xe2\xe3\xcf\xd3 Rechnung\n";

	public static function message(): string {
		$lines = array(
			'Date: Sun, 6 Dec 2026 08:00:00 +0000',
			'To: =?UTF-8?Q?M=C3=BCller=2C_J=C3=BCrgen?= <juergen@example.com>, plain@example.com',
			'From: =?UTF-8?B?U8O8ZHNlZS1CbG9n?= <blog@example.com>',
			'Cc: "Cc Person" <cc@example.com>',
			'Reply-To: Antwort <reply@example.com>',
			'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=',
			'Message-ID: <abc@example.com>',
			'X-Mailer: PHPMailer 6.9.3 (https://github.com/PHPMailer/PHPMailer)',
			'X-Custom-Tag: =?UTF-8?Q?s=C3=BC=C3=9F?=',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed;',
			' boundary="b1_mixed"',
			'Content-Transfer-Encoding: 8bit',
			'',
			'This is a multi-part message in MIME format.',
			'--b1_mixed',
			'Content-Type: multipart/related;',
			' boundary="b2_related"',
			'',
			'--b2_related',
			'Content-Type: multipart/alternative;',
			' boundary="b3_alt"',
			'',
			'--b3_alt',
			'Content-Type: text/plain; charset=UTF-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Gr=C3=BC=C3=9Fe, J=C3=BCrgen!',
			'',
			'--b3_alt',
			'Content-Type: text/html; charset=UTF-8',
			'Content-Transfer-Encoding: 8bit',
			'',
			'<p>Grüße, <b>Jürgen</b>! <img src="cid:logo@blog"></p>',
			'',
			'--b3_alt--',
			'',
			'--b2_related',
			'Content-Type: image/png; name="logo.png"',
			'Content-Transfer-Encoding: base64',
			'Content-ID: <logo@blog>',
			'Content-Disposition: inline; filename="logo.png"',
			'',
			base64_encode( self::PNG ),
			'',
			'--b2_related--',
			'',
			'--b1_mixed',
			'Content-Type: application/pdf; name="=?UTF-8?Q?Rechnung_M=C3=A4rz.pdf?="',
			'Content-Transfer-Encoding: base64',
			'Content-Disposition: attachment; filename="=?UTF-8?Q?Rechnung_M=C3=A4rz.pdf?="',
			'',
			chunk_split( base64_encode( self::PDF ), 76, "\r\n" ),
			'--b1_mixed--',
			'',
		);
		return implode( "\r\n", $lines );
	}
}
