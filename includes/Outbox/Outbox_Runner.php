<?php
/**
 * Delivers the outbox: claims each due message and hands its stored bytes to the server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Mail\Deadline;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Mail\Spooling_Smtp_Connection;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * One run (WP-Cron, `wp smtp-port-helper outbox run`, "Retry now"): opens one connection through
 * the same code as wp_mail() (Mailer_Hook::configure_delivery(): server, ports, TLS, login, the
 * time limit) and sends each claimed message as it was stored — MAIL FROM, RCPT TO, and DATA with
 * the exact bytes wp_mail() built — over it. A delivered message is deleted; a `4xx` or a lost
 * connection waits for the next attempt; a `5xx` fails it; a refused login holds the queue. Each
 * mailbox's sending limit is kept (Outbox_Pacing): what may not leave yet, or what the server
 * throttled, waits for its time in order, and is never counted as a failed attempt.
 */
final class Outbox_Runner {

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Configures the connection as wp_mail() would.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Schedules the next run.
	 *
	 * @var Mail_Queue
	 */
	private Mail_Queue $queue;

	/**
	 * The connection of this run, or null.
	 *
	 * @var Spooling_Smtp_Connection|null
	 */
	private ?Spooling_Smtp_Connection $connection = null;

	/**
	 * The mailer that owns the connection.
	 *
	 * @var PHPMailer|null
	 */
	private ?PHPMailer $phpmailer = null;

	/**
	 * Whose settings the connection uses: `site` or `network` (a message goes only its route's way).
	 *
	 * @var string
	 */
	private string $connection_owner = '';

	/**
	 * Re-tests the ports while mail waits, or null.
	 *
	 * @var Port_Retest|null
	 */
	private ?Port_Retest $retest;

	/**
	 * Tells the admin once when delivery works again, or null.
	 *
	 * @var Recovery_Notice|null
	 */
	private ?Recovery_Notice $notice;

	/**
	 * Keeps each mailbox under its sending limits and moves throttled mail, or null.
	 *
	 * @var Outbox_Pacing|null
	 */
	private ?Outbox_Pacing $pacing;

	/**
	 * The settings the current message is sent with (its route's).
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $store = null;

	/**
	 * Takes the outbox, the mailer configuration, the schedule, the re-test, the notice and the pace.
	 *
	 * @param Outbox               $outbox The outbox.
	 * @param Mailer_Hook          $mailer Configures the connection.
	 * @param Mail_Queue           $queue  Schedules the next run.
	 * @param Port_Retest|null     $retest Re-tests the ports while mail waits.
	 * @param Recovery_Notice|null $notice Tells the admin once when delivery works again.
	 * @param Outbox_Pacing|null   $pacing Paces each mailbox; moves throttled mail.
	 */
	public function __construct( Outbox $outbox, Mailer_Hook $mailer, Mail_Queue $queue, ?Port_Retest $retest = null, ?Recovery_Notice $notice = null, ?Outbox_Pacing $pacing = null ) {
		$this->outbox = $outbox;
		$this->mailer = $mailer;
		$this->queue  = $queue;
		$this->retest = $retest;
		$this->notice = $notice;
		$this->pacing = $pacing;
	}

	/**
	 * Delivers what is due, within a message count and a time budget.
	 *
	 * @param int $limit   At most this many messages.
	 * @param int $seconds Stop claiming new messages after this many seconds.
	 * @return array{delivered: int, waiting: int, failed: int, held: int}
	 */
	public function run( int $limit = 200, int $seconds = 45 ): array {
		$stats = array(
			'delivered' => 0,
			'waiting'   => 0,
			'failed'    => 0,
			'held'      => 0,
		);
		$token = bin2hex( random_bytes( 16 ) );
		$ends  = Deadline::in( $seconds );
		$done  = 0;
		try {
			if ( null !== $this->retest && null !== $this->retest->maybe_run()['working'] ) {
				$this->outbox->make_queued_due(); // A port works: waiting mail need not sit out its backoff.
			}
			while ( $done < $limit && ! $ends->expired() ) {
				$ids = $this->outbox->due_ids( min( 50, $limit - $done ) );
				if ( array() === $ids ) {
					break;
				}
				$claimed = 0;
				foreach ( $ids as $id ) {
					if ( $done >= $limit || $ends->expired() ) {
						break;
					}
					if ( ! $this->outbox->claim( $id, $token ) ) {
						continue; // Another runner has it.
					}
					++$claimed;
					++$done;
					$outcome = $this->deliver( $id, $token );
					$stats   = self::count( $stats, $outcome );
					if ( 'waiting' === $outcome && null === $this->connection ) {
						Recovery_Notice::begin( time() );
					}
					if ( 'held' === $outcome || ( 'waiting' === $outcome && null === $this->connection ) ) {
						break 2; // No login, or no port answers: the others would fail the same way.
					}
					if ( 'paced' === $outcome || 'throttled' === $outcome ) {
						break 2; // The mailbox's limit: the queue moved to the time it may send again.
					}
				}
				if ( 0 === $claimed ) {
					break;
				}
			}
			if ( $stats['delivered'] > 0 ) {
				$this->tell_delivery_works( $stats );
			}
		} finally {
			$this->disconnect();
			if ( null !== $this->pacing && null !== $this->store ) {
				$this->pacing->run_ended( $this->store );
			}
			$this->queue->schedule();
		}
		return $stats;
	}

	/**
	 * Delivers one claimed message.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 * @return string delivered, waiting, failed, held (a refused login: the queue waits),
	 *                held_route (this message's server is gone: it waits alone), paced (the
	 *                mailbox's sending limit) or throttled (the server asked to slow down).
	 */
	private function deliver( int $id, string $token ): string {
		$message = $this->outbox->open_claimed( $id, $token );
		if ( null === $message ) {
			$this->outbox->fail( $id, $token, self::failure( 'decrypt', 0, 'The stored message cannot be decrypted (the security keys of this site changed).' ) );
			return 'failed';
		}
		// On a network, only the server this message was written for (Mail\Send_Route).
		$way = $this->mailer->stored_route( $message['route'] );
		if ( null === $way['store'] ) {
			$this->outbox->hold_message( $id, $token, self::failure( Send_Route::HELD_STAGE, 0, $way['reason'] ) );
			return 'held_route';
		}
		$this->store = $way['store'];
		if ( null !== $this->pacing && ! $this->pacing->admit( $way['store'], $id, $token, count( $message['recipients'] ) ) ) {
			return 'paced';
		}
		$connection = $this->connect( $way['store'] );
		if ( ! $connection instanceof Spooling_Smtp_Connection ) {
			return $this->not_delivered( $id, $token, $connection );
		}
		$connection->set_deadline( Deadline::in( 60 ) );
		if ( ! $connection->mail( $message['from'] ) ) {
			return $this->not_delivered( $id, $token, $this->failure_of( $connection, 'mail' ) );
		}
		$accepted = array();
		$waiting  = array();
		$refused  = array();
		foreach ( $message['recipients'] as $recipient ) {
			if ( $connection->recipient( $recipient ) ) {
				$accepted[] = $recipient;
				continue;
			}
			$failure = $this->failure_of( $connection, 'rcpt' );
			if ( Spooling_Smtp_Connection::is_permanent( $failure ) ) {
				$refused[] = $recipient . ': ' . $failure['error'];
			} else {
				$waiting[] = $recipient;
			}
			if ( ! $connection->connected() ) {
				return $this->not_delivered( $id, $token, $failure );
			}
		}
		if ( array() === $accepted ) {
			$connection->reset();
			$failure = $this->failure_of( $connection, 'rcpt' );
			if ( array() === $waiting ) {
				$failure['error'] = implode( '; ', $refused );
			}
			return $this->not_delivered( $id, $token, $failure );
		}
		if ( ! $connection->data( $message['data'] ) ) {
			return $this->not_delivered( $id, $token, $this->failure_of( $connection, 'data' ) );
		}
		if ( array() !== $waiting ) {
			$this->outbox->narrow( $id, $token, $message, $waiting );
			if ( $this->throttled( $id, $token, $this->failure_of( $connection, 'rcpt' ) ) ) {
				return 'throttled';
			}
			$this->outbox->defer( $id, $token, $this->failure_of( $connection, 'rcpt' ) );
			return 'waiting';
		}
		if ( array() !== $refused ) {
			$this->outbox->narrow( $id, $token, $message, array_map( static fn( string $line ): string => (string) strstr( $line, ':', true ), $refused ) );
			$this->outbox->fail( $id, $token, self::failure( 'rcpt', 550, implode( '; ', $refused ) ) );
			return 'failed';
		}
		$this->outbox->delivered( $id, $token );
		/**
		 * A message from the outbox was delivered.
		 *
		 * @param int          $id         Outbox id (now deleted).
		 * @param list<string> $recipients Its recipients.
		 */
		do_action( 'smtp_port_helper_mail_delivered_late', $id, $message['recipients'] );
		return 'delivered';
	}

	/**
	 * Sends the notice of a recovered outage over this run's connection (the path that just
	 * delivered), once per outage; when it cannot be handed over, the outage stays open.
	 *
	 * @param array{delivered: int, waiting: int, failed: int, held: int} $stats This run's counts.
	 */
	private function tell_delivery_works( array $stats ): void {
		if ( null === $this->notice || null === $this->connection || ! $this->connection->connected() ) {
			return;
		}
		$since = $this->notice->claim();
		if ( null === $since ) {
			return;
		}
		$message = $this->notice->message( $since, $stats, $this->outbox->counts() );
		if ( null === $message ) {
			return;
		}
		// On a network the site's admin address may be someone else's (a super admin's): the notice
		// then goes the network's way, with the network's sender, like any of their mail.
		$way = $this->mailer->route_for( $message['recipients'] );
		if ( null === $way['store'] ) {
			return; // Only WordPress's own mail may carry it, and the outbox has no way there: no notice.
		}
		if ( '' !== $way['reason'] && '' !== $this->mailer->network_sender_address() ) {
			$message['from'] = $this->mailer->network_sender_address();
		}
		$connection = $this->connect( $way['store'] );
		if ( ! $connection instanceof Spooling_Smtp_Connection ) {
			Recovery_Notice::begin( $since );
			return;
		}
		$connection->set_deadline( Deadline::in( 60 ) );
		$sent = $connection->mail( $message['from'] )
			&& $connection->recipient( $message['recipients'][0] )
			&& $connection->data( $message['data'] );
		if ( ! $sent ) {
			if ( $connection->connected() ) {
				$connection->reset();
			}
			Recovery_Notice::begin( $since );
		}
	}

	/**
	 * The counts with one more of an outcome.
	 *
	 * @param array{delivered: int, waiting: int, failed: int, held: int} $stats   Counts.
	 * @param string                                                      $outcome delivered, waiting, failed, held or held_route.
	 * @return array{delivered: int, waiting: int, failed: int, held: int}
	 */
	private static function count( array $stats, string $outcome ): array {
		if ( 'delivered' === $outcome ) {
			++$stats['delivered'];
		} elseif ( 'failed' === $outcome ) {
			++$stats['failed'];
		} elseif ( 'held' === $outcome || 'held_route' === $outcome ) {
			++$stats['held'];
		} else {
			++$stats['waiting'];
		}
		return $stats;
	}

	/**
	 * Records why a message was not delivered: a `5xx` fails it, a refused login holds the queue,
	 * anything else waits for the next attempt (or fails once expired).
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 * @return string waiting, failed or held.
	 */
	private function not_delivered( int $id, string $token, array $failure ): string {
		if ( null !== $this->connection && ! $this->connection->connected() ) {
			$this->disconnect();
		} elseif ( null !== $this->connection ) {
			$this->connection->reset();
		}
		if ( $this->throttled( $id, $token, $failure ) ) {
			return 'throttled'; // Not a failure: it waits for the server's hint, the queue behind it.
		}
		if ( Outbox::holds_queue( $failure ) ) {
			$this->outbox->hold( $id, $token, $failure );
			return 'held';
		}
		if ( Spooling_Smtp_Connection::is_permanent( $failure ) && in_array( $failure['stage'], array( 'mail', 'rcpt', 'data' ), true ) ) {
			$this->outbox->fail( $id, $token, $failure );
			$this->tell_failed( $id, $failure );
			return 'failed';
		}
		$status = $this->outbox->defer( $id, $token, $failure );
		if ( Outbox::FAILED === $status ) {
			$this->tell_failed( $id, $failure );
			return 'failed';
		}
		return 'waiting';
	}

	/**
	 * Whether the server throttled the message (Outbox_Pacing put it back then).
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	private function throttled( int $id, string $token, array $failure ): bool {
		return null !== $this->pacing && null !== $this->store && $this->pacing->throttled( $this->store, $id, $token, $failure );
	}

	/**
	 * Fires `smtp_port_helper_mail_failed` for a message that will not be retried by itself.
	 *
	 * @param int                                            $id      Message id.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	private function tell_failed( int $id, array $failure ): void {
		/**
		 * A queued message failed for good (refused by the server, or expired).
		 *
		 * @param int   $id      Outbox id.
		 * @param array $failure stage, code and error.
		 */
		do_action( 'smtp_port_helper_mail_failed', $id, $failure );
	}

	/**
	 * The connection of this run for the settings of a message's route, opened on first use (again
	 * when the route changes); the failure when no port works.
	 *
	 * @param Settings_Store $store The settings the message may be sent with.
	 * @return Spooling_Smtp_Connection|array{stage: string, code: int, error: string}
	 */
	private function connect( Settings_Store $store ) {
		$owner = $store->is_network() ? 'network' : 'site';
		if ( null !== $this->connection && $this->connection->connected() && $owner === $this->connection_owner ) {
			return $this->connection;
		}
		$this->disconnect();
		self::load_phpmailer();
		$phpmailer  = new PHPMailer( true );
		$connection = $this->mailer->configure_delivery( $phpmailer, $store );
		if ( null === $connection ) {
			return self::failure( 'disabled', 0, 'Sending through SMTP is switched off or no host is set.' );
		}
		try {
			// phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
			$connected = $phpmailer->smtpConnect( $phpmailer->SMTPOptions );
		} catch ( PHPMailer_Exception $error ) {
			$connected = false;
		}
		if ( ! $connected ) {
			return $connection->failure() ?? self::failure( 'connect', 0, 'No port of the SMTP server could be connected to.' );
		}
		$this->phpmailer        = $phpmailer;
		$this->connection       = $connection;
		$this->connection_owner = $owner;
		return $connection;
	}

	/**
	 * Ends the run's connection.
	 */
	private function disconnect(): void {
		if ( null !== $this->phpmailer ) {
			$this->phpmailer->smtpClose();
		}
		$this->phpmailer        = null;
		$this->connection       = null;
		$this->connection_owner = '';
	}

	/**
	 * The failure the connection recorded for a command.
	 *
	 * @param Spooling_Smtp_Connection $connection The connection.
	 * @param string                   $stage      The command's stage when none was recorded.
	 * @return array{stage: string, code: int, error: string}
	 */
	private function failure_of( Spooling_Smtp_Connection $connection, string $stage ): array {
		return $connection->failure() ?? self::failure( $stage, 0, 'No answer from the server.' );
	}

	/**
	 * A failure record.
	 *
	 * @param string $stage Where.
	 * @param int    $code  SMTP code or 0.
	 * @param string $error The error.
	 * @return array{stage: string, code: int, error: string}
	 */
	private static function failure( string $stage, int $code, string $error ): array {
		return array(
			'stage' => $stage,
			'code'  => $code,
			'error' => $error,
		);
	}

	/**
	 * Loads WordPress's copy of PHPMailer (wp_mail() does the same).
	 */
	private static function load_phpmailer(): void {
		if ( ! class_exists( PHPMailer::class, false ) ) {
			require_once ABSPATH . 'wp-includes/PHPMailer/PHPMailer.php';
			require_once ABSPATH . 'wp-includes/PHPMailer/SMTP.php';
			require_once ABSPATH . 'wp-includes/PHPMailer/Exception.php';
		}
	}
}
