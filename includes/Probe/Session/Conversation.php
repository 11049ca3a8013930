<?php
/**
 * The SMTP dialogue of a probe session, reply by reply.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Greeting, EHLO, STARTTLS, TLS on, EHLO after TLS, AUTH, QUIT: records each step as a stage, fills
 * the result (mode, greeting name, AUTH mechanisms), decides the verdict a reply shows, and
 * answers with the Reply_Action the session carries out on the socket. No I/O here.
 */
final class Conversation {

	/**
	 * Options.
	 *
	 * @var Probe_Options
	 */
	private Probe_Options $options;

	/**
	 * Result being filled.
	 *
	 * @var Port_Result
	 */
	private Port_Result $result;

	/**
	 * Stage and verdict recorder.
	 *
	 * @var Result_Recorder
	 */
	private Result_Recorder $recorder;

	/**
	 * EHLO command for the current connection.
	 *
	 * @var string
	 */
	private string $ehlo = '';

	/**
	 * AUTH exchange in progress.
	 *
	 * @var Auth_Exchange|null
	 */
	private ?Auth_Exchange $auth = null;

	/**
	 * The port's one login, shared with the other address family's session; null: one family.
	 *
	 * @var Login_Turn|null
	 */
	private ?Login_Turn $login_turn;

	/**
	 * This session's address family ('' for all).
	 *
	 * @var string
	 */
	private string $family;

	/**
	 * Constructor.
	 *
	 * @param Probe_Options   $options    Options.
	 * @param Port_Result     $result     Result being filled.
	 * @param Result_Recorder $recorder   Stage and verdict recorder.
	 * @param Login_Turn|null $login_turn The port's one login when two families are probed.
	 * @param string          $family     This session's address family ('' for all).
	 */
	public function __construct( Probe_Options $options, Port_Result $result, Result_Recorder $recorder, ?Login_Turn $login_turn = null, string $family = '' ) {
		$this->options    = $options;
		$this->result     = $result;
		$this->recorder   = $recorder;
		$this->login_turn = $login_turn;
		$this->family     = $family;
	}

	/**
	 * A connection is up: choose the EHLO name for it.
	 *
	 * @param string $local_address Local address of the connection.
	 * @return void
	 */
	public function connected( string $local_address ): void {
		$this->ehlo = 'EHLO ' . Ehlo_Name::choose( $this->options->ehlo_name, (string) gethostname(), $local_address );
	}

	/**
	 * A TLS handshake finished: report the certificate (certificate-reading connection) or go on.
	 *
	 * @param array{version: string, cipher: string, certificate: mixed} $negotiated What the handshake negotiated.
	 * @param bool                                                       $tls_first  Whether the handshake came before any greeting.
	 * @param Certificate_Inspection|null                                $inspection Set on the certificate-reading connection.
	 * @param float                                                      $now        Current time.
	 * @return Reply_Action
	 */
	public function tls_established( array $negotiated, bool $tls_first, ?Certificate_Inspection $inspection, float $now ): Reply_Action {
		if ( null !== $inspection ) {
			$inspection->certificate_read( $negotiated, $now );
			// Implicit TLS: the greeting comes first; greeting() answers it with QUIT.
			return $tls_first ? Reply_Action::await( State::BANNER ) : Reply_Action::just( Reply_Action::QUIT );
		}
		$this->result->tls = Certificate_Details::verified_tls( $negotiated, $this->options->host, time() );
		$this->recorder->stage( 'tls', true, $now, trim( $negotiated['version'] . ' ' . $negotiated['cipher'] ) );
		if ( $tls_first ) {
			$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
			return Reply_Action::await( State::BANNER );
		}
		return Reply_Action::send( $this->ehlo, State::EHLO_TLS );
	}

	/**
	 * Handles one reply.
	 *
	 * @param string     $state      State the reply answers (State constant).
	 * @param Smtp_Reply $reply      Reply.
	 * @param bool       $tls_active Whether TLS is on.
	 * @param bool       $inspecting Whether this is the certificate-reading connection.
	 * @param float      $now        Current time.
	 * @return Reply_Action
	 */
	public function reply( string $state, Smtp_Reply $reply, bool $tls_active, bool $inspecting, float $now ): Reply_Action {
		switch ( $state ) {
			case State::BANNER:
				return $this->greeting( $reply, $tls_active, $inspecting, $now );
			case State::EHLO:
				return $this->ehlo_before_tls( $reply, $inspecting, $now );
			case State::STARTTLS:
				return $this->starttls( $reply, $now );
			case State::EHLO_TLS:
				return $this->ehlo_after_tls( $reply, $now );
			case State::AUTH:
				return $this->auth( $reply, $now );
			case State::QUIT:
				if ( 221 === $reply->code ) {
					$this->recorder->stage( 'quit', true, $now, $reply->summary() );
					return Reply_Action::just( Reply_Action::FINISH );
				}
				break;
		}
		return Reply_Action::just( Reply_Action::WAIT );
	}

	/**
	 * The greeting. The certificate-reading connection quits once TLS is on.
	 *
	 * @param Smtp_Reply $reply      Reply.
	 * @param bool       $tls_active Whether TLS is on.
	 * @param bool       $inspecting Whether this is the certificate-reading connection.
	 * @param float      $now        Current time.
	 * @return Reply_Action
	 */
	private function greeting( Smtp_Reply $reply, bool $tls_active, bool $inspecting, float $now ): Reply_Action {
		if ( $inspecting && 220 !== $reply->code ) {
			return Reply_Action::certificate_unreadable( $reply->summary() );
		}
		if ( $inspecting && $tls_active ) {
			return Reply_Action::just( Reply_Action::QUIT );
		}
		if ( 220 !== $reply->code ) {
			$this->recorder->stage( 'banner', false, $now, $reply->summary() );
			$this->recorder->decide( $reply->code >= 400 ? Verdict::REJECTED : Verdict::NOT_SMTP, $reply->summary() );
			return Reply_Action::just( Reply_Action::QUIT );
		}
		$this->recorder->stage( 'banner', true, $now, $reply->summary() );
		$this->result->banner_host     = $reply->first_word();
		$this->result->banner_mismatch = Banner_Domain::names_other_domain( $this->options->host, $this->result->banner_host );
		return Reply_Action::send( $this->ehlo, $tls_active ? State::EHLO_TLS : State::EHLO );
	}

	/**
	 * EHLO before TLS: STARTTLS if offered.
	 *
	 * @param Smtp_Reply $reply      Reply.
	 * @param bool       $inspecting Whether this is the certificate-reading connection.
	 * @param float      $now        Current time.
	 * @return Reply_Action
	 */
	private function ehlo_before_tls( Smtp_Reply $reply, bool $inspecting, float $now ): Reply_Action {
		if ( ! $this->ehlo_accepted( $reply, 'ehlo', $now ) ) {
			return Reply_Action::just( Reply_Action::QUIT );
		}
		if ( array() !== $reply->auth_mechanisms() ) {
			$this->result->auth_mechanisms = $reply->auth_mechanisms();
			$this->result->auth_seen_plain = true;
		}
		if ( isset( $reply->ehlo_keywords()['STARTTLS'] ) ) {
			$this->result->mode = Port_Result::MODE_STARTTLS;
			return Reply_Action::send( 'STARTTLS', State::STARTTLS );
		}
		if ( $inspecting ) {
			return Reply_Action::certificate_unreadable( 'STARTTLS not offered on the second connection' );
		}
		$this->result->mode = Port_Result::MODE_PLAIN;
		$this->recorder->decide( Verdict::STARTTLS_MISSING, 'STARTTLS not offered' );
		return Reply_Action::just( Reply_Action::QUIT );
	}

	/**
	 * The reply to STARTTLS.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return Reply_Action
	 */
	private function starttls( Smtp_Reply $reply, float $now ): Reply_Action {
		if ( 220 !== $reply->code ) {
			$this->recorder->stage( 'starttls', false, $now, $reply->summary() );
			$this->recorder->decide( Verdict::TLS_FAILED, $reply->summary() );
			return Reply_Action::just( Reply_Action::QUIT );
		}
		$this->recorder->stage( 'starttls', true, $now, $reply->summary() );
		return Reply_Action::just( Reply_Action::START_TLS );
	}

	/**
	 * EHLO after TLS: AUTH when credentials are given, else the verdict.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return Reply_Action
	 */
	private function ehlo_after_tls( Smtp_Reply $reply, float $now ): Reply_Action {
		if ( ! $this->ehlo_accepted( $reply, Port_Result::MODE_STARTTLS === $this->result->mode ? 'ehlo_tls' : 'ehlo', $now ) ) {
			return Reply_Action::just( Reply_Action::QUIT );
		}
		$mechanisms                    = $reply->auth_mechanisms();
		$this->result->auth_mechanisms = $mechanisms;
		$this->result->auth_seen_plain = false;
		if ( null !== $this->options->username && null !== $this->login_turn && ! $this->login_turn->claim( $this->family ) ) {
			// The other family logs in for this port: this one has shown its connection and TLS.
			$this->result->login_checked_over = $this->login_turn->holder();
			$this->recorder->decide( Verdict::OK, 'login checked over ' . Address_Family::label( $this->login_turn->holder() ) . ' only' );
		} elseif ( null !== $this->options->username && null !== $this->options->oauth_failure ) {
			// OAuth is chosen but there is no token: the login stage says why, nothing is sent.
			$this->result->auth_ok = false;
			$this->recorder->stage( 'auth', false, $now, 'XOAUTH2: ' . $this->options->oauth_failure['code'] );
			$this->recorder->decide( $this->options->oauth_failure['code'], $this->options->oauth_failure['message'] );
		} elseif ( null !== $this->options->username && null !== $this->options->oauth_token ) {
			$this->auth = Auth_Exchange::choose_xoauth2( $mechanisms, $this->options->username, $this->options->oauth_token );
			if ( null !== $this->auth ) {
				return Reply_Action::send( $this->auth->first_command(), State::AUTH );
			}
			$this->recorder->decide( Verdict::AUTH_UNAVAILABLE, array() === $mechanisms ? 'no AUTH offered after TLS' : 'no XOAUTH2 (offered: ' . implode( ' ', $mechanisms ) . ')' );
		} elseif ( null !== $this->options->username ) {
			$this->auth = Auth_Exchange::choose( $mechanisms, $this->options->username, (string) $this->options->password );
			if ( null !== $this->auth ) {
				return Reply_Action::send( $this->auth->first_command(), State::AUTH );
			}
			$this->recorder->decide( Verdict::AUTH_UNAVAILABLE, array() === $mechanisms ? 'no AUTH offered after TLS' : 'no PLAIN or LOGIN (offered: ' . implode( ' ', $mechanisms ) . ')' );
		} elseif ( array() === $mechanisms ) {
			$this->recorder->decide( Verdict::AUTH_UNAVAILABLE, 'no AUTH offered after TLS' );
		} else {
			$this->recorder->decide( Verdict::OK, '' );
		}
		return Reply_Action::just( Reply_Action::QUIT );
	}

	/**
	 * Records an EHLO reply; a negative one decides the verdict.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param string     $stage Stage name.
	 * @param float      $now   Current time.
	 * @return bool Whether the server accepted EHLO.
	 */
	private function ehlo_accepted( Smtp_Reply $reply, string $stage, float $now ): bool {
		if ( ! $reply->is_positive() ) {
			$this->recorder->stage( $stage, false, $now, $reply->summary() );
			$this->recorder->decide( Verdict::REJECTED, $reply->summary() );
			return false;
		}
		$keywords = array_slice( array_keys( $reply->ehlo_keywords() ), 0, 20 );
		$this->recorder->stage( $stage, true, $now, $reply->summary() . ' (' . implode( ' ', $keywords ) . ')' );
		return true;
	}

	/**
	 * AUTH replies: answers challenges, then records the outcome.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return Reply_Action
	 */
	private function auth( Smtp_Reply $reply, float $now ): Reply_Action {
		if ( null === $this->auth ) {
			return Reply_Action::just( Reply_Action::WAIT );
		}
		if ( 334 === $reply->code ) {
			return Reply_Action::send( $this->auth->answer_challenge(), State::AUTH );
		}
		$ok                    = 235 === $reply->code;
		$this->result->auth_ok = $ok;
		$this->recorder->stage( 'auth', $ok, $now, $this->auth->mechanism() . ': ' . $reply->summary() );
		$this->recorder->decide( $ok ? Verdict::OK : Verdict::AUTH_FAILED, $ok ? '' : $reply->summary() );
		return Reply_Action::just( Reply_Action::QUIT );
	}
}
