<?php
/**
 * What the certificate-reading connection reports.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * When the verified handshake fails on the certificate, the session connects a second time with
 * verification off, the same way (implicit TLS or STARTTLS), only to read the certificate; no
 * credentials are sent on that connection. This class turns what that connection saw into the
 * report: the certificate's problems, one 'certificate' stage and the verdict. If the
 * certificate cannot be read, the verified handshake's error is all there is to go on.
 */
final class Certificate_Inspection {

	/**
	 * OpenSSL error text of the failed verified handshake.
	 *
	 * @var string
	 */
	private string $verify_error;

	/**
	 * Host asked for.
	 *
	 * @var Host_Name
	 */
	private Host_Name $host;

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
	 * Constructor.
	 *
	 * @param string          $verify_error OpenSSL error text of the failed verified handshake.
	 * @param Host_Name       $host         Host asked for.
	 * @param Port_Result     $result       Result being filled.
	 * @param Result_Recorder $recorder     Stage and verdict recorder.
	 */
	public function __construct( string $verify_error, Host_Name $host, Port_Result $result, Result_Recorder $recorder ) {
		$this->verify_error = $verify_error;
		$this->host         = $host;
		$this->result       = $result;
		$this->recorder     = $recorder;
	}

	/**
	 * The unverified handshake worked: report the certificate.
	 *
	 * @param array{version: string, cipher: string, certificate: mixed} $negotiated What the handshake negotiated.
	 * @param float                                                      $now        Current time.
	 * @return void
	 */
	public function certificate_read( array $negotiated, float $now ): void {
		$chain_verified = false === stripos( $this->verify_error, 'certificate verify failed' );
		$facts          = Certificate_Details::unverified_tls( $negotiated, $this->host, $chain_verified, time() );
		$tls            = $facts['tls'];
		$problems       = array() !== $facts['problems'] ? $facts['problems'] : $this->problems_from_error();

		$this->result->tls           = $tls;
		$this->result->cert_problems = $problems;
		$this->recorder->stage_always( 'certificate', false, $now, implode( ', ', $problems ) . ': ' . $tls['subject'] . ' / ' . $tls['issuer'] . ' / ' . $tls['valid_to'] );
		$verdict = Verdict::CERT_INVALID;
		if ( array( 'wrong_host' ) === $problems && $this->result->banner_mismatch ) {
			$verdict = Verdict::HOST_MISMATCH;
		}
		$this->recorder->decide( $verdict, implode( ', ', $problems ) );
	}

	/**
	 * The certificate could not be read: report what the verified handshake said.
	 *
	 * @param string $detail Why the certificate could not be read.
	 * @param float  $now    Current time.
	 * @return void
	 */
	public function certificate_unreadable( string $detail, float $now ): void {
		$problems                    = $this->problems_from_error();
		$this->result->cert_problems = $problems;
		$this->recorder->stage_always( 'certificate', false, $now, 'could not read the certificate: ' . $detail );
		$this->recorder->decide( Verdict::CERT_INVALID, implode( ', ', $problems ) );
	}

	/**
	 * The one problem the verified handshake's error names.
	 *
	 * @return string[]
	 */
	private function problems_from_error(): array {
		return false !== stripos( $this->verify_error, 'did not match' ) ? array( 'wrong_host' ) : array( 'untrusted' );
	}
}
