<?php
/**
 * Whether mail really goes the way the settings say.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Mail\Code_Origin;
use SmtpPortHelper\Mail\Send_Path;
use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Compares the saved settings with what the last message really used (Send_Path_Recorder) and
 * checks that wp_mail() is WordPress's own. One answer for Site Health, the CLI and the page.
 */
final class Send_Path_Report {

	const STATUS_GOOD       = 'good';
	const STATUS_UNKNOWN    = 'unknown';
	const STATUS_OVERRIDDEN = 'overridden';

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings.
	 *
	 * @param Settings_Store $settings The settings.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * The finding: a status, one sentence per problem (or one that all is well), the last
	 * message's real connection and when it was sent.
	 *
	 * @return array{status: string, messages: string[], last_send: array<string, mixed>|null, sent_at: int|null}
	 */
	public function check(): array {
		$messages = array();
		$record   = get_option( Send_Path_Recorder::OPTION );
		$final    = is_array( $record ) ? Send_Path::from_array( $record['final'] ?? null ) : null;
		$ours     = is_array( $record ) ? Send_Path::from_array( $record['ours'] ?? null ) : null;
		$active   = $this->settings->get()->is_active();
		$route    = is_array( $record ) && is_array( $record['route'] ?? null ) ? $record['route'] : array();
		$reason   = (string) ( $route['reason'] ?? '' );
		// On a network, mail that is not the site's own leaves the network's way on purpose (Send_Route).
		$diverted = '' !== $reason ? (string) ( $route['via'] ?? '' ) : '';

		$replacement = self::wp_mail_replacement();
		if ( null !== $replacement ) {
			$messages[] = sprintf(
				/* translators: %s: who replaced wp_mail(), e.g. the plugin “Other Mailer” (other-mailer/other-mailer.php) */
				__( 'wp_mail() is replaced by %s: WordPress sends its mail through that code, and these settings may not be used at all. Deactivate it, or configure sending there.', 'smtp-port-helper' ),
				Code_Origin::describe( $replacement )
			);
		}

		if ( null !== $final && $active && 'core' !== $diverted ) {
			$changed = null !== $ours ? $ours->differences( $final ) : array();
			if ( null === $ours ) {
				$messages[] = __( 'The last message was not sent through SMTP Port Helper: its settings were not applied to it.', 'smtp-port-helper' ) . self::candidates( $record );
			} elseif ( array() !== $changed ) {
				$messages[] = sprintf(
					/* translators: 1: what was really used, e.g. "127.0.0.1:2525 with STARTTLS"; 2: what the settings say; 3: the changed fields, e.g. "port, encryption" */
					__( 'Another plugin or snippet changes how mail is sent: the last message went to %1$s instead of %2$s (changed: %3$s).', 'smtp-port-helper' ),
					self::describe( $final ),
					self::describe( $ours ),
					implode( ', ', array_map( array( self::class, 'field_label' ), $changed ) )
				) . self::candidates( $record );
			}
		}

		if ( array() !== $messages ) {
			$status = self::STATUS_OVERRIDDEN;
		} elseif ( null === $final || ! $active ) {
			$status     = self::STATUS_UNKNOWN;
			$messages[] = __( 'No message has been sent through these settings yet, so what is really used is not known. Send a test email.', 'smtp-port-helper' );
		} elseif ( '' !== $diverted ) {
			$status     = self::STATUS_GOOD;
			$messages[] = 'core' === $diverted
				? sprintf(
					/* translators: %s: why, e.g. "a recipient is a super admin of the network" */
					__( 'The last message was sent with WordPress\'s own mail, not through this site\'s SMTP server, because %s and the network has no SMTP server set: mail that is not this site\'s own never goes through a server the site chose.', 'smtp-port-helper' ),
					$reason
				)
				: sprintf(
					/* translators: 1: why, e.g. "a recipient is a super admin of the network"; 2: the connection, e.g. "smtp.example.com:587 with STARTTLS, with login" */
					__( 'The last message went through the network\'s SMTP server, not this site\'s, because %1$s: mail that is not this site\'s own never goes through a server the site chose (%2$s).', 'smtp-port-helper' ),
					$reason,
					self::describe( $final )
				);
		} else {
			$status     = self::STATUS_GOOD;
			$messages[] = sprintf(
				/* translators: %s: the connection, e.g. "smtp.example.com:587 with STARTTLS, with login" */
				__( 'The last message was sent as saved: %s.', 'smtp-port-helper' ),
				self::describe( $final )
			);
		}
		$switched = Self_Check::state()['switched'];
		if ( null !== $switched && ! $switched['dismissed'] ) {
			// Said once: until an administrator dismisses the self-check's notice.
			$messages[] = Self_Check_Notice::switched_text( $switched['from'], $switched['to'], $switched['time'] );
		}
		return array(
			'status'    => $status,
			'messages'  => $messages,
			'last_send' => null !== $final ? $final->to_array() : null,
			'sent_at'   => is_array( $record ) && isset( $record['time'] ) ? (int) $record['time'] : null,
		);
	}

	/**
	 * The saved connection in words, or that none is set.
	 */
	public function saved(): string {
		$settings = $this->settings->get();
		return $settings->is_active()
			? self::describe( Send_Path::of_settings( $settings ) )
			: __( 'not set: WordPress sends with the web server\'s own mail program', 'smtp-port-helper' );
	}

	/**
	 * The file that defines wp_mail() when it is not WordPress's own; null when it is.
	 */
	public static function wp_mail_replacement(): ?string {
		if ( ! function_exists( 'wp_mail' ) ) {
			return null;
		}
		$file = (string) ( new \ReflectionFunction( 'wp_mail' ) )->getFileName();
		return wp_normalize_path( $file ) === wp_normalize_path( ABSPATH . WPINC . '/pluggable.php' ) ? null : $file;
	}

	/**
	 * " Probably changed by …" naming the callbacks that ran after this plugin's; '' when none.
	 *
	 * @param mixed $record The stored record.
	 */
	private static function candidates( $record ): string {
		$later = is_array( $record ) && is_array( $record['later'] ?? null ) ? $record['later'] : array();
		$names = array();
		foreach ( $later as $callback ) {
			$origin                   = Code_Origin::describe( (string) ( $callback['file'] ?? '' ) );
			$name                     = (string) ( $callback['name'] ?? '?' );
			$names[ $origin . $name ] = sprintf( '%1$s (%2$s)', $origin, $name );
		}
		if ( array() === $names ) {
			return '';
		}
		return ' ' . sprintf(
			/* translators: %s: list of code, e.g. the plugin “Other Mailer” (other-mailer/other-mailer.php) (Other_Mailer::configure) */
			_n( 'It changes PHPMailer after this plugin: %s.', 'These change PHPMailer after this plugin: %s.', count( $names ), 'smtp-port-helper' ),
			implode( '; ', $names )
		);
	}

	/**
	 * A connection in words: "smtp.example.com:587 with STARTTLS, with login".
	 *
	 * @param Send_Path $path The connection.
	 */
	public static function describe( Send_Path $path ): string {
		$provider = Transport_Registry::provider( $path->mailer );
		if ( null !== $provider ) {
			/* translators: 1: provider name, e.g. SendGrid, 2: the API's host name. */
			return sprintf( __( 'the HTTPS API of %1$s (%2$s, port 443)', 'smtp-port-helper' ), $provider->label, $path->host );
		}
		if ( 'smtp' !== $path->mailer ) {
			/* translators: %s: PHPMailer's transport, e.g. mail or sendmail */
			return sprintf( __( 'the web server\'s own mail program (%s), not an SMTP server', 'smtp-port-helper' ), $path->mailer );
		}
		return sprintf(
			/* translators: 1: host:port, 2: encryption label, e.g. STARTTLS, 3: "with login" or "without login" */
			__( '%1$s with %2$s, %3$s', 'smtp-port-helper' ),
			$path->host . ':' . $path->port,
			Encryption::label( $path->encryption ),
			$path->auth ? __( 'with login', 'smtp-port-helper' ) : __( 'without login', 'smtp-port-helper' )
		);
	}

	/**
	 * A field of Send_Path in words.
	 *
	 * @param string $field Field name.
	 */
	private static function field_label( string $field ): string {
		$labels = array(
			'mailer'     => __( 'transport', 'smtp-port-helper' ),
			'host'       => __( 'server', 'smtp-port-helper' ),
			'port'       => __( 'port', 'smtp-port-helper' ),
			'encryption' => __( 'encryption', 'smtp-port-helper' ),
			'auth'       => __( 'login', 'smtp-port-helper' ),
		);
		return $labels[ $field ] ?? $field;
	}
}
