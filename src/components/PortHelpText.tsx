import { __ } from '@wordpress/i18n';

/**
 * Short, honest explanations of the SMTP ports: the body of PortHelp, a script chunk of its own
 * that loads when the help is opened.
 */
export default function PortHelpText() {
	return (
		<dl>
			<dt>
				{ __(
					'Port 587 — submission with STARTTLS',
					'smtp-port-helper'
				) }
			</dt>
			<dd>
				{ __(
					'The standard port for programs that log in to send mail (RFC 6409). The connection starts unencrypted and is switched to encryption with the STARTTLS command before the password is sent. It is the most widely offered port, so the plugin tries it first.',
					'smtp-port-helper'
				) }
			</dd>
			<dt>
				{ __(
					'Port 465 — submission with implicit TLS',
					'smtp-port-helper'
				) }
			</dt>
			<dd>
				{ __(
					'Encrypted from the first byte (often labelled "SSL/TLS"). It is not deprecated: RFC 8314 made it a current standard again in 2018 and even prefers it to STARTTLS. Use it whenever your provider offers it and 587 does not work, or if you prefer it.',
					'smtp-port-helper'
				) }
			</dd>
			<dt>
				{ __( 'Port 2525 — unofficial alternate', 'smtp-port-helper' ) }
			</dt>
			<dd>
				{ __(
					'Not an official SMTP port, but many providers (SendGrid, Mailgun, Postmark, SparkPost, Brevo, SMTP2GO) offer it with STARTTLS for hosts that block 587. Amazon SES uses 2587 and 2465 instead.',
					'smtp-port-helper'
				) }
			</dd>
			<dt>
				{ __(
					'Port 25 — relay between mail servers',
					'smtp-port-helper'
				) }
			</dt>
			<dd>
				{ __(
					'Meant for mail servers passing mail to each other, not for a website that logs in to send. Most cloud and hosting platforms block or throttle outgoing port 25 to fight spam, so it usually fails. The test includes it only to show whether it is blocked.',
					'smtp-port-helper'
				) }
			</dd>
		</dl>
	);
}
