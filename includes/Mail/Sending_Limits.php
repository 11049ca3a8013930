<?php
/**
 * Each provider preset's documented sending limits, with their source and the day they were checked.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Keyed by the preset ids of src/presets.ts and found by the saved SMTP host. `pace` holds the
 * fixed numbers the outbox paces under (Send_Pacer); a provider whose limits depend on the plan or
 * the account (SES's quota, SendGrid's plan) has none: its throttling answers slow the queue
 * instead, and a site can name its own numbers (filter `smtp_port_helper_sending_limits`).
 * Sources and dates: docs/facts.md, "Provider sending limits".
 */
final class Sending_Limits {

	/** The day every row was last checked against its source. */
	public const CHECKED = '2026-12-06';

	/** No limit of this kind. */
	private const NONE = array(
		'per_window'         => 0,
		'window'             => 60,
		'messages_per_day'   => 0,
		'recipients_per_day' => 0,
	);

	/**
	 * Every preset's row: the hosts it is found by, the numbers paced under, the source.
	 *
	 * @return array<string, array{name: string, hosts: string, pace: array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}, summary: string, source: string}>
	 */
	public static function all(): array {
		return array(
			'microsoft365' => array(
				'name'    => 'Microsoft 365',
				'hosts'   => '/^smtp\.office365\.com$/',
				'pace'    => array(
					'per_window'         => 30,
					'window'             => 60,
					'messages_per_day'   => 0,
					'recipients_per_day' => 10000,
				),
				'summary' => __( '30 messages a minute and 10,000 recipients a day per mailbox (24 hours, sliding); over the daily limit Microsoft refuses mail with 554 5.2.0 for up to a day.', 'smtp-port-helper' ),
				'source'  => 'https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits-1',
			),
			'google'       => array(
				'name'    => 'Google Workspace',
				'hosts'   => '/^smtp\.gmail\.com$/',
				'pace'    => array(
					'per_window'         => 0,
					'window'             => 60,
					'messages_per_day'   => 2000,
					'recipients_per_day' => 10000,
				),
				'summary' => __( 'About 2,000 messages and 10,000 recipients a day per user (500 messages on a trial account; 24 hours, sliding); over the limit Google stops the user\'s sending for up to 24 hours.', 'smtp-port-helper' ),
				'source'  => 'https://support.google.com/a/answer/166852',
			),
			'amazon-ses'   => array(
				'name'    => 'Amazon SES',
				'hosts'   => '/^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/',
				'pace'    => self::NONE,
				'summary' => __( 'The account\'s own sending quota and maximum rate per region (in the sandbox 200 messages a day and 1 a second), shown in the SES console; over it SES answers 454 Throttling failure, and the outbox slows down.', 'smtp-port-helper' ),
				'source'  => 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
			),
			'sendgrid'     => array(
				'name'    => 'SendGrid',
				'hosts'   => '/^smtp\.sendgrid\.net$/',
				'pace'    => self::NONE,
				'summary' => __( 'The plan\'s volume (the free plan 100 messages a day); no rate per minute is documented for SMTP.', 'smtp-port-helper' ),
				'source'  => 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
			),
			'mailgun-us'   => array(
				'name'    => 'Mailgun',
				'hosts'   => '/^smtp\.mailgun\.org$/',
				'pace'    => self::NONE,
				'summary' => __( 'The plan\'s volume; new accounts start with a lower sending limit that Mailgun raises after review.', 'smtp-port-helper' ),
				'source'  => 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
			),
			'mailgun-eu'   => array(
				'name'    => 'Mailgun (EU)',
				'hosts'   => '/^smtp\.eu\.mailgun\.org$/',
				'pace'    => self::NONE,
				'summary' => __( 'The plan\'s volume; new accounts start with a lower sending limit that Mailgun raises after review.', 'smtp-port-helper' ),
				'source'  => 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
			),
			'brevo'        => array(
				'name'    => 'Brevo',
				'hosts'   => '/^smtp-relay\.(brevo|sendinblue)\.com$/',
				'pace'    => self::NONE,
				'summary' => __( 'The free plan 300 messages a day; paid plans have a monthly volume and no daily limit.', 'smtp-port-helper' ),
				'source'  => 'https://help.brevo.com/hc/en-us/articles/8292912279954',
			),
			'postmark'     => array(
				'name'    => 'Postmark',
				'hosts'   => '/^smtp(-broadcasts)?\.postmarkapp\.com$/',
				'pace'    => self::NONE,
				'summary' => __( 'No sending rate is published; the plan\'s monthly volume applies.', 'smtp-port-helper' ),
				'source'  => 'https://postmarkapp.com/support/article/do-we-have-rate-limits-for-smtp',
			),
			'sparkpost'    => array(
				'name'    => 'SparkPost',
				'hosts'   => '/^smtp\.(eu\.)?sparkpostmail\.com$/',
				'pace'    => self::NONE,
				'summary' => __( 'A daily and a monthly quota per account (new paid accounts start at 1,000 messages a day and rise over the first week).', 'smtp-port-helper' ),
				'source'  => 'https://support.sparkpost.com/docs/faq/daily-and-monthly-quota-limits',
			),
			'zoho'         => array(
				'name'    => 'Zoho Mail',
				'hosts'   => '/^smtp(pro)?\.zoho\.com$/',
				'pace'    => self::NONE,
				'summary' => __( '50 to 500 messages an hour to other domains, set by Zoho from the sender\'s reputation (one hour, sliding).', 'smtp-port-helper' ),
				'source'  => 'https://www.zoho.com/mail/help/adminconsole/rates-and-limits.html',
			),
			'zoho-eu'      => array(
				'name'    => 'Zoho Mail (EU)',
				'hosts'   => '/^smtp(pro)?\.zoho\.eu$/',
				'pace'    => self::NONE,
				'summary' => __( '50 to 500 messages an hour to other domains, set by Zoho from the sender\'s reputation (one hour, sliding).', 'smtp-port-helper' ),
				'source'  => 'https://www.zoho.com/mail/help/adminconsole/rates-and-limits.html',
			),
			'resend'       => array(
				'name'    => 'Resend',
				'hosts'   => '/^smtp\.resend\.com$/',
				'pace'    => array(
					'per_window'         => 2,
					'window'             => 1,
					'messages_per_day'   => 0,
					'recipients_per_day' => 0,
				),
				'summary' => __( '2 requests a second per team by default; the free plan 100 messages a day and 3,000 a month.', 'smtp-port-helper' ),
				'source'  => 'https://resend.com/docs/api-reference/rate-limit',
			),
			'smtp2go'      => array(
				'name'    => 'SMTP2GO',
				'hosts'   => '/^mail(-[a-z]+)?\.smtp2go\.com$/',
				'pace'    => self::NONE,
				'summary' => __( 'The free plan 200 messages a day (25 an hour without a verified sender domain); paid plans their monthly volume, at most 200,000 an hour.', 'smtp-port-helper' ),
				'source'  => 'https://support.smtp2go.com/hc/en-gb/articles/20651852434073-Quota-Usage-Notifications',
			),
		);
	}

	/**
	 * The preset id of an SMTP host, or '' for a host no preset names.
	 *
	 * @param string $host SMTP host.
	 */
	public static function preset_of( string $host ): string {
		$host = strtolower( rtrim( trim( $host ), '.' ) );
		foreach ( self::all() as $id => $row ) {
			if ( 1 === preg_match( $row['hosts'], $host ) ) {
				return $id;
			}
		}
		return '';
	}

	/**
	 * The numbers the outbox paces a mailbox under: the preset's, or what the filter
	 * `smtp_port_helper_sending_limits` makes of them (a site's own plan; 0 = no limit of a kind).
	 *
	 * @param string $host     SMTP host.
	 * @param string $username The login (the mailbox), '' without one.
	 * @return array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}
	 */
	public static function pace_for( string $host, string $username ): array {
		$preset = self::preset_of( $host );
		$pace   = '' === $preset ? self::NONE : self::all()[ $preset ]['pace'];
		/**
		 * The sending limits the outbox paces a mailbox under.
		 *
		 * @param array  $pace     per_window (messages per window), window (seconds), messages_per_day, recipients_per_day; 0: none.
		 * @param string $host     SMTP host.
		 * @param string $username The login, '' without one.
		 * @param string $preset   The preset id of the host, '' for none.
		 */
		$filtered = apply_filters( 'smtp_port_helper_sending_limits', $pace, $host, $username, $preset );
		$filtered = is_array( $filtered ) ? $filtered : $pace;
		return array(
			'per_window'         => max( 0, (int) ( $filtered['per_window'] ?? 0 ) ),
			'window'             => max( 1, (int) ( $filtered['window'] ?? 60 ) ),
			'messages_per_day'   => max( 0, (int) ( $filtered['messages_per_day'] ?? 0 ) ),
			'recipients_per_day' => max( 0, (int) ( $filtered['recipients_per_day'] ?? 0 ) ),
		);
	}

	/**
	 * What the page shows per preset: the limits in words, the source and the day checked.
	 *
	 * @return array<string, array{summary: string, source: string, checked: string}>
	 */
	public static function for_page(): array {
		$rows = array();
		foreach ( self::all() as $id => $row ) {
			$rows[ $id ] = array(
				'summary' => $row['summary'],
				'source'  => $row['source'],
				'checked' => self::CHECKED,
			);
		}
		return $rows;
	}
}
