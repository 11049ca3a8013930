<?php
/**
 * What every HTTPS API transport that signs in with OAuth 2.0 shares (Microsoft Graph, Gmail API).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The key of such a transport is the site's OAuth 2.0 sign-in: every request carries
 * `Authorization: Bearer <access token>` from the Access_Token_Source (no API key is saved;
 * Api_Credentials::$key stays ''). When the API refuses the token itself (token_refused(): by
 * default a 401) the source refreshes once — one refresh across processes — and the request is
 * sent again at once with the new token; only a refused refresh holds the mail (stage `oauth`),
 * a token endpoint that did not answer makes it wait (stage `token`), as SMTP's XOAUTH2 does.
 *
 * A provider writes, besides Https_Api_Transport's provider(), send_request() and test_request():
 * oauth_provider() (the Provider_Profile whose sign-in it uses) and oauth_scope() (what the
 * consent must ask for — another resource than SMTP's, so the sign-in is bound to it).
 */
abstract class OAuth_Api_Transport extends Https_Api_Transport {

	/**
	 * Gives and refreshes the access token.
	 *
	 * @var Access_Token_Source
	 */
	protected Access_Token_Source $tokens;

	/**
	 * The access token the requests carry now ('' before the first).
	 *
	 * @var string
	 */
	private string $token = '';

	/**
	 * The signed-in mailbox the token is for ('' before the first token).
	 *
	 * @var string
	 */
	protected string $mailbox = '';

	/**
	 * Why the refresh after a refused token gave none, for this request; null otherwise.
	 *
	 * @var Access_Token|null
	 */
	private ?Access_Token $refused_refresh = null;

	/**
	 * The requests go without a token (the port test before anyone signed in for this API).
	 *
	 * @var bool
	 */
	private bool $unsigned = false;

	/**
	 * Takes the credentials (no key: the account field and base URL), the client and the token source.
	 *
	 * @param Api_Credentials     $credentials Account, region, base URL.
	 * @param Https_Client        $client      Sends under the address policy.
	 * @param Access_Token_Source $tokens      The sign-in's access tokens.
	 */
	public function __construct( Api_Credentials $credentials, Https_Client $client, Access_Token_Source $tokens ) {
		parent::__construct( $credentials, $client );
		$this->tokens = $tokens;
	}

	/**
	 * The OAuth profile whose sign-in this API uses (Provider_Profile::MICROSOFT, ::GOOGLE).
	 */
	abstract public static function oauth_provider(): string;

	/**
	 * The space-separated scopes the consent asks for when this transport is chosen.
	 *
	 * @param string $account The account field of the settings (e.g. a shared mailbox), or ''.
	 */
	abstract public static function oauth_scope( string $account ): string;

	/**
	 * What the administrator should know when the From address is not the signed-in account
	 * (the provider rewrites or refuses it), or null when that does not matter here.
	 *
	 * @param string $from    The From address mail leaves with.
	 * @param string $account The signed-in account.
	 */
	public static function from_warning( string $from, string $account ): ?string { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found -- a provider that rewrites the From overrides it.
		return null;
	}

	/**
	 * The mailbox mail leaves from when the account field names another one than the signed-in
	 * account (a shared mailbox), '' when it names none or the provider has no such field.
	 *
	 * @param string $account The saved account field.
	 */
	public static function shared_mailbox( string $account ): string { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found -- a provider with shared mailboxes overrides it.
		return '';
	}

	/**
	 * Whether an answer refuses the token itself (expired early, revoked), so one refresh may
	 * help — not a missing permission (403) or a refused message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function token_refused( Https_Answer $answer ): bool {
		return 401 === $answer->status;
	}

	/**
	 * Sends the message with a token from the sign-in; a refused token is refreshed once.
	 *
	 * @param Outgoing_Message $message  The message.
	 * @param Deadline         $deadline Its time limit.
	 */
	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome {
		$token = $this->tokens->access_token();
		if ( ! $token->ok() ) {
			return Send_Outcome::failed( self::token_failure( $token ) );
		}
		$this->use_token( $token );
		return parent::send( $message, $deadline );
	}

	/**
	 * The port test's row: the sign-in first (a missing or refused one is the verdict, nothing is
	 * requested), then the API's authenticated call.
	 *
	 * @param Deadline $deadline How long the test may take.
	 */
	public function test( Deadline $deadline ): Port_Result {
		$token = $this->tokens->access_token();
		if ( ! $token->ok() ) {
			$result                 = new Port_Result( self::PORT );
			$result->mode           = Port_Result::MODE_IMPLICIT_TLS;
			$result->host           = (string) wp_parse_url( $this->credentials->base_url, PHP_URL_HOST );
			$result->verdict        = '' !== $token->code ? $token->code : Verdict::OAUTH_REFRESH_FAILED;
			$result->verdict_detail = $token->message;
			$result->auth_ok        = false;
			return $result;
		}
		$this->use_token( $token );
		$result = parent::test( $deadline );
		if ( null !== $this->refused_refresh ) {
			// The API refused the token and the refresh was refused too: the sign-in's failure.
			$result->verdict        = '' !== $this->refused_refresh->code ? $this->refused_refresh->code : Verdict::OAUTH_REFRESH_FAILED;
			$result->verdict_detail = $this->refused_refresh->message;
		}
		return $result;
	}

	/**
	 * The port test's row before the site signed in for this API: name, connection, TLS with the
	 * certificate check, and the API's answer to the same call without a token — its 401 proves
	 * the way (Api_Row reads it as "reached, sign-in not tested"). Nothing is refreshed.
	 *
	 * @param Deadline $deadline How long the test may take.
	 */
	public function test_without_sign_in( Deadline $deadline ): Port_Result {
		$this->unsigned = true;
		try {
			return parent::test( $deadline );
		} finally {
			$this->unsigned = false;
		}
	}

	/**
	 * Sends one request with the token; when the API refuses the token, refreshes once and sends
	 * it again at once.
	 *
	 * @param Https_Request $request  The request.
	 * @param Deadline      $deadline The time limit.
	 */
	protected function call( Https_Request $request, Deadline $deadline ): Https_Answer {
		$this->refused_refresh = null;
		if ( $this->unsigned ) {
			return parent::call( $request, $deadline );
		}
		$answer = parent::call( $this->authorized( $request ), $deadline );
		if ( ! $this->token_refused( $answer ) ) {
			return $answer;
		}
		$renewed = $this->tokens->access_token( $this->token );
		if ( ! $renewed->ok() ) {
			$this->refused_refresh = $renewed;
			return $answer;
		}
		$this->use_token( $renewed );
		$again = parent::call( $this->authorized( $request ), $deadline );
		// The second request goes over the kept connection: its look-up, connect and TLS were the first's.
		$again->timings += $answer->timings;
		return $again;
	}

	/**
	 * A refused token whose refresh failed is the sign-in's failure (held or waiting), not the API's 401.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		if ( null !== $this->refused_refresh && $this->token_refused( $answer ) ) {
			return self::token_failure( $this->refused_refresh );
		}
		return parent::failure_of( $answer );
	}

	/**
	 * The request with the bearer token.
	 *
	 * @param Https_Request $request The request.
	 */
	private function authorized( Https_Request $request ): Https_Request {
		$request->headers['Authorization'] = 'Bearer ' . $this->token;
		return $request;
	}

	/**
	 * Takes a token (and its mailbox) for the next requests.
	 *
	 * @param Access_Token $token A usable token.
	 */
	private function use_token( Access_Token $token ): void {
		$this->token   = $token->token;
		$this->mailbox = $token->mailbox;
	}

	/**
	 * A sign-in without a token as a send failure: refused (stage `oauth`, holds until "Connect"
	 * again) or not answered (stage `token`, waits), as SMTP's XOAUTH2 reports it.
	 *
	 * @param Access_Token $token The failure.
	 */
	private static function token_failure( Access_Token $token ): Send_Failure {
		return new Send_Failure( $token->retry ? 'token' : 'oauth', 0, 'SMTP Port Helper: ' . $token->message );
	}
}
