<?php
/**
 * Delivers the outbox: claims each due message and hands its stored bytes to the server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;
use SmtpPortHelper\Transport\Transport;

defined( 'ABSPATH' ) || exit;

/**
 * One run (WP-Cron, `wp smtp-port-helper outbox run`, "Retry now"): hands each claimed message,
 * the exact bytes wp_mail() built with its envelope, to the transport its route's settings
 * choose (Mail\Transport_Factory: SMTP over one kept connection, or a provider's HTTPS API) and
 * reads the one outcome shape every transport returns. A delivered message is deleted; a
 * temporary failure waits for the next attempt; a final refusal fails it; a refused login or
 * key holds the queue (Transport\Send_Failure says which is which). Each mailbox's sending limit
 * is kept (Outbox_Pacing): what may not leave yet, or what the server throttled, waits for its
 * time in order, and is never counted as a failed attempt.
 */
final class Outbox_Runner {

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Which server a message may go through.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Builds the transport of a route's settings.
	 *
	 * @var Transport_Factory
	 */
	private Transport_Factory $transports;

	/**
	 * Schedules the next run.
	 *
	 * @var Mail_Queue
	 */
	private Mail_Queue $queue;

	/**
	 * The transports of this run by whose settings they use (`site`, `network`), kept for the
	 * next message of the same route.
	 *
	 * @var array<string, Transport>
	 */
	private array $open = array();

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
	 * @param Outbox                 $outbox     The outbox.
	 * @param Mailer_Hook            $mailer     Which server a message may go through.
	 * @param Mail_Queue             $queue      Schedules the next run.
	 * @param Port_Retest|null       $retest     Re-tests the ports while mail waits.
	 * @param Recovery_Notice|null   $notice     Tells the admin once when delivery works again.
	 * @param Outbox_Pacing|null     $pacing     Paces each mailbox; moves throttled mail.
	 * @param Transport_Factory|null $transports Builds the transport of a route (default: of the mailer).
	 */
	public function __construct( Outbox $outbox, Mailer_Hook $mailer, Mail_Queue $queue, ?Port_Retest $retest = null, ?Recovery_Notice $notice = null, ?Outbox_Pacing $pacing = null, ?Transport_Factory $transports = null ) {
		$this->outbox     = $outbox;
		$this->mailer     = $mailer;
		$this->queue      = $queue;
		$this->retest     = $retest;
		$this->notice     = $notice;
		$this->pacing     = $pacing;
		$this->transports = $transports ?? new Transport_Factory( $mailer );
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
					if ( 0 === $done ) {
						$this->queue->schedule(); // Should this process die now, a run comes when its claim's lease ends.
					}
					++$claimed;
					++$done;
					$outcome = $this->deliver( $id, $token );
					$stats   = self::count( $stats, $outcome );
					if ( 'unreachable' === $outcome ) {
						Recovery_Notice::begin( time() );
					}
					if ( 'held' === $outcome || 'unreachable' === $outcome ) {
						break 2; // No login, or the way is down: the others would fail the same way.
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
			$this->close_all();
			if ( null !== $this->pacing && null !== $this->store ) {
				$this->pacing->run_ended( $this->store );
			}
			$this->queue->schedule( true );
		}
		return $stats;
	}

	/**
	 * Delivers one claimed message.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 * @return string delivered, waiting, unreachable (waiting, and the way is down), failed,
	 *                held (a refused login: the queue waits), held_route (this message's server
	 *                is gone: it waits alone), paced (the mailbox's sending limit) or throttled
	 *                (the server asked to slow down).
	 */
	private function deliver( int $id, string $token ): string {
		$message = $this->outbox->open_claimed( $id, $token );
		if ( null === $message ) {
			$this->outbox->fail( $id, $token, ( new Send_Failure( 'decrypt', 0, 'The stored message cannot be decrypted (the security keys of this site changed).' ) )->to_array() );
			return 'failed';
		}
		// On a network, only the server this message was written for (Mail\Send_Route).
		$way = $this->mailer->stored_route( $message['route'] );
		if ( null === $way['store'] ) {
			$this->outbox->hold_message( $id, $token, ( new Send_Failure( Send_Route::HELD_STAGE, 0, $way['reason'] ) )->to_array() );
			return 'held_route';
		}
		$this->store = $way['store'];
		if ( null !== $this->pacing && ! $this->pacing->admit( $way['store'], $id, $token, count( $message['recipients'] ) ) ) {
			return 'paced';
		}
		$message['idempotency_key'] = '' !== $message['idempotency_key'] ? $message['idempotency_key'] : self::idempotency_key( $id );
		$outgoing                   = new Outgoing_Message( $message['from'], $message['recipients'], $message['data'], $message['idempotency_key'] );
		$outcome                    = $this->transport( $way['store'] )->send( $outgoing, Deadline::in( 60 ) );
		if ( $outcome->is_delivered() ) {
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
		return $this->not_delivered( $id, $token, $message, $outcome );
	}

	/**
	 * Records why a message (or some of its recipients) was not delivered: recipients that wait
	 * are kept, those refused for good are dropped; a final refusal fails the message, a refused
	 * login holds the queue, anything else waits for the next attempt (or fails once expired).
	 *
	 * @param int                                                                                                   $id      Message id.
	 * @param string                                                                                                $token   Claim token.
	 * @param array{from: string, recipients: list<string>, data: string, route?: string, idempotency_key?: string} $message The message as the outbox opened it.
	 * @param Send_Outcome                                                                                          $outcome What the transport achieved.
	 * @return string waiting, unreachable, failed or held.
	 */
	private function not_delivered( int $id, string $token, array $message, Send_Outcome $outcome ): string {
		$why = $outcome->failure ?? new Send_Failure( 'data', 0, 'No answer from the server.' );
		if ( $outcome->is_partly_delivered() && array() !== $outcome->waiting ) {
			$this->outbox->narrow( $id, $token, $message, $outcome->waiting );
			if ( $this->throttled( $id, $token, $why ) ) {
				return 'throttled';
			}
			$this->outbox->defer( $id, $token, $why->to_array() );
			return 'waiting';
		}
		if ( $outcome->is_partly_delivered() ) {
			$this->outbox->narrow( $id, $token, $message, array_keys( $outcome->refused ) );
			$this->outbox->fail( $id, $token, ( new Send_Failure( 'rcpt', 550, self::refusals( $outcome->refused ) ) )->to_array() );
			return 'failed';
		}
		if ( array() !== $outcome->refused && array() === $outcome->waiting ) {
			$why = $why->with_error( self::refusals( $outcome->refused ) ); // Every recipient refused for good.
		}
		if ( $this->throttled( $id, $token, $why ) ) {
			return 'throttled'; // Not a failure: it waits for the server's hint, the queue behind it.
		}
		$failure = $why->to_array();
		if ( $why->holds_queue() ) {
			$this->outbox->hold( $id, $token, $failure );
			return 'held';
		}
		if ( $why->fails_message() ) {
			$this->outbox->fail( $id, $token, $failure );
			$this->tell_failed( $id, $failure );
			return 'failed';
		}
		$status = $this->outbox->defer( $id, $token, $failure );
		if ( Outbox::FAILED === $status ) {
			$this->tell_failed( $id, $failure );
			return 'failed';
		}
		return self::way_is_down( $why ) ? 'unreachable' : 'waiting';
	}

	/**
	 * Whether the next messages would wait for the same reason: no connection, no answer, the
	 * login answered with a `4xx`, a throttled or failing API — only a server's answer to one
	 * message's sender, recipients or content leaves the way open.
	 *
	 * @param Send_Failure $failure A failure that lets the message wait.
	 */
	private static function way_is_down( Send_Failure $failure ): bool {
		if ( 0 === $failure->code || Send_Failure::THROTTLED === $failure->kind() ) {
			return true;
		}
		if ( Send_Failure::STAGE_API === $failure->stage ) {
			return $failure->code >= 500;
		}
		return ! in_array( $failure->stage, array( 'mail', 'rcpt', 'data' ), true );
	}

	/**
	 * Refused recipients in one line: `address: the server's words; …`.
	 *
	 * @param array<string, string> $refused Address => why.
	 */
	private static function refusals( array $refused ): string {
		$lines = array();
		foreach ( $refused as $recipient => $why ) {
			$lines[] = $recipient . ': ' . $why;
		}
		return implode( '; ', $lines );
	}

	/**
	 * The idempotency key of an outbox message: the same for each of its attempts, never the
	 * same for two messages or two sites.
	 *
	 * @param int $id Outbox id.
	 */
	private static function idempotency_key( int $id ): string {
		return substr( hash( 'sha256', home_url() . '|' . get_current_blog_id() . '|outbox|' . $id ), 0, 32 );
	}

	/**
	 * Sends the notice of a recovered outage through the transport of its route (the way that
	 * just delivered), once per outage; when it cannot be handed over, the outage stays open.
	 *
	 * @param array{delivered: int, waiting: int, failed: int, held: int} $stats This run's counts.
	 */
	private function tell_delivery_works( array $stats ): void {
		if ( null === $this->notice ) {
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
		$outgoing = new Outgoing_Message( $message['from'], array( $message['recipients'][0] ), $message['data'] );
		if ( ! $this->transport( $way['store'] )->send( $outgoing, Deadline::in( 60 ) )->is_delivered() ) {
			Recovery_Notice::begin( $since );
		}
	}

	/**
	 * The counts with one more of an outcome.
	 *
	 * @param array{delivered: int, waiting: int, failed: int, held: int} $stats   Counts.
	 * @param string                                                      $outcome See deliver().
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
	/**
	 * Whether the server throttled the message (Outbox_Pacing put it back then, uncounted).
	 *
	 * @param int          $id      Message id.
	 * @param string       $token   Claim token.
	 * @param Send_Failure $failure The server's answer.
	 */
	private function throttled( int $id, string $token, Send_Failure $failure ): bool {
		if ( null === $this->pacing || null === $this->store || Send_Failure::THROTTLED !== $failure->kind() ) {
			return false;
		}
		$answer = $failure->to_array();
		if ( null !== $failure->retry_after ) {
			$answer['retry_after'] = $failure->retry_after;
		}
		return $this->pacing->throttled( $this->store, $id, $token, $answer );
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
	 * The transport of this run for the settings of a message's route, built on first use.
	 *
	 * @param Settings_Store $store The settings the message may be sent with.
	 */
	private function transport( Settings_Store $store ): Transport {
		$owner = $store->is_network() ? 'network' : 'site';
		if ( ! isset( $this->open[ $owner ] ) ) {
			$this->open[ $owner ] = $this->transports->for_store( $store );
		}
		return $this->open[ $owner ];
	}

	/**
	 * Ends what the run's transports kept open.
	 */
	private function close_all(): void {
		foreach ( $this->open as $transport ) {
			$transport->close();
		}
		$this->open = array();
	}
}
