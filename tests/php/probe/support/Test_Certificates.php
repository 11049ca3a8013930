<?php
/**
 * Test certificates generated at run time.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

/**
 * Creates a test CA and leaf certificates (PHP openssl functions, EC P-256 keys):
 * good (localhost, smtp.dual-stack.test, the SES and SendGrid hosts + 127.0.0.1, CA-signed), expired (CA-signed), wronghost (CA-signed,
 * wrong.example), intercept (CA-signed, smtp.interceptor.example), selfsigned (localhost,
 * not CA-signed). Each leaf is written as DIR/<name>/key.pem + cert.pem; the CA as DIR/ca.pem.
 */
class Test_Certificates {

	/**
	 * Base directory.
	 *
	 * @var string
	 */
	public $dir;

	/**
	 * Path of the CA certificate (pass as cafile).
	 *
	 * @var string
	 */
	public $ca_file;

	/**
	 * Creates everything under a directory.
	 *
	 * @param string $dir Directory (created).
	 */
	public function __construct( string $dir ) {
		$this->dir = $dir;
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0700, true );
		}
		$cnf = $dir . '/openssl.cnf';
		file_put_contents(
			$cnf,
			"[ req ]\ndistinguished_name = dn\n[ dn ]\n"
			. "[ v3_ca ]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n"
			. "[ v3_good ]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:localhost, DNS:smtp.dual-stack.test, DNS:email-smtp.eu-west-1.amazonaws.com, DNS:smtp.sendgrid.net, IP:127.0.0.1\n"
			. "[ v3_wrong ]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:wrong.example, DNS:www.wrong.example\n"
			. "[ v3_intercept ]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:smtp.interceptor.example\n"
		);
		$key_args = array(
			'private_key_type' => OPENSSL_KEYTYPE_EC,
			'curve_name'       => 'prime256v1',
		);

		$ca_key  = openssl_pkey_new( $key_args );
		$ca_csr  = openssl_csr_new( array( 'commonName' => 'SMTP Port Helper Test CA' ), $ca_key, array( 'digest_alg' => 'sha256' ) );
		$ca_cert = openssl_csr_sign( $ca_csr, null, $ca_key, 30, array( 'config' => $cnf, 'x509_extensions' => 'v3_ca', 'digest_alg' => 'sha256' ), 1 );
		openssl_x509_export( $ca_cert, $ca_pem );
		$this->ca_file = $dir . '/ca.pem';
		file_put_contents( $this->ca_file, $ca_pem );

		$this->leaf( 'good', 'localhost', 'v3_good', 30, $ca_cert, $ca_key, $key_args, $cnf, 2 );
		$this->expired_leaf( $ca_pem, $ca_key, $key_args, $cnf );
		$this->leaf( 'wronghost', 'wrong.example', 'v3_wrong', 30, $ca_cert, $ca_key, $key_args, $cnf, 4 );
		$this->leaf( 'intercept', 'smtp.interceptor.example', 'v3_intercept', 30, $ca_cert, $ca_key, $key_args, $cnf, 5 );
		$this->leaf( 'selfsigned', 'localhost', 'v3_good', 30, null, null, $key_args, $cnf, 6 );
	}

	/**
	 * Writes one leaf.
	 *
	 * @param string     $name     Directory name.
	 * @param string     $cn       Common name.
	 * @param string     $section  Extension section.
	 * @param int        $days     Validity (negative: already expired).
	 * @param mixed      $ca_cert  CA certificate or null (self-signed).
	 * @param mixed      $ca_key   CA key or null.
	 * @param array      $key_args Key arguments.
	 * @param string     $cnf      Config file.
	 * @param int        $serial   Serial.
	 * @return void
	 */
	private function leaf( string $name, string $cn, string $section, int $days, $ca_cert, $ca_key, array $key_args, string $cnf, int $serial ): void {
		$key  = openssl_pkey_new( $key_args );
		$csr  = openssl_csr_new( array( 'commonName' => $cn ), $key, array( 'digest_alg' => 'sha256' ) );
		$cert = openssl_csr_sign( $csr, $ca_cert, null === $ca_key ? $key : $ca_key, $days, array( 'config' => $cnf, 'x509_extensions' => $section, 'digest_alg' => 'sha256' ), $serial );
		openssl_x509_export( $cert, $cert_pem );
		openssl_pkey_export( $key, $key_pem );
		$leaf_dir = $this->dir . '/' . $name;
		if ( ! is_dir( $leaf_dir ) ) {
			mkdir( $leaf_dir, 0700 );
		}
		file_put_contents( $leaf_dir . '/cert.pem', $cert_pem );
		file_put_contents( $leaf_dir . '/key.pem', $key_pem );
	}

	/**
	 * Writes a CA-signed leaf for localhost that expired last month. PHP cannot back-date
	 * (openssl_csr_sign() refuses negative days), so the `openssl ca` command does it with
	 * -startdate/-enddate.
	 *
	 * @param string $ca_pem   CA certificate PEM.
	 * @param mixed  $ca_key   CA key.
	 * @param array  $key_args Key arguments.
	 * @param string $cnf      Extensions config.
	 * @return void
	 */
	private function expired_leaf( string $ca_pem, $ca_key, array $key_args, string $cnf ): void {
		$work = $this->dir . '/ca-db';
		mkdir( $work . '/new', 0700, true );
		file_put_contents( $work . '/index.txt', '' );
		file_put_contents( $work . '/serial', "03\n" );
		openssl_pkey_export( $ca_key, $ca_key_pem );
		file_put_contents( $work . '/ca-key.pem', $ca_key_pem );
		file_put_contents( $work . '/ca.pem', $ca_pem );
		file_put_contents(
			$work . '/ca.cnf',
			(string) file_get_contents( $cnf )
			. "[ ca ]\ndefault_ca = tca\n[ tca ]\ndatabase = $work/index.txt\nnew_certs_dir = $work/new\nserial = $work/serial\n"
			. "default_md = sha256\npolicy = pol\nunique_subject = no\n[ pol ]\ncommonName = supplied\n"
		);
		$key = openssl_pkey_new( $key_args );
		$csr = openssl_csr_new( array( 'commonName' => 'localhost' ), $key, array( 'digest_alg' => 'sha256' ) );
		openssl_csr_export( $csr, $csr_pem );
		file_put_contents( $work . '/leaf.csr', $csr_pem );
		$start   = gmdate( 'Ymd', time() - 60 * 86400 ) . '000000Z';
		$end     = gmdate( 'Ymd', time() - 30 * 86400 ) . '000000Z';
		$command = array( 'openssl', 'ca', '-batch', '-notext', '-config', $work . '/ca.cnf', '-cert', $work . '/ca.pem', '-keyfile', $work . '/ca-key.pem', '-in', $work . '/leaf.csr', '-out', $work . '/leaf.pem', '-startdate', $start, '-enddate', $end, '-extensions', 'v3_good' );
		$process = proc_open( $command, array( 1 => array( 'file', '/dev/null', 'w' ), 2 => array( 'file', $work . '/ca.log', 'w' ) ), $pipes );
		if ( ! is_resource( $process ) || 0 !== proc_close( $process ) || ! is_file( $work . '/leaf.pem' ) ) {
			throw new \RuntimeException( 'openssl ca failed: ' . file_get_contents( $work . '/ca.log' ) );
		}
		openssl_pkey_export( $key, $key_pem );
		mkdir( $this->dir . '/expired', 0700 );
		file_put_contents( $this->dir . '/expired/cert.pem', file_get_contents( $work . '/leaf.pem' ) );
		file_put_contents( $this->dir . '/expired/key.pem', $key_pem );
	}

	/**
	 * Directory of a leaf (key.pem + cert.pem).
	 *
	 * @param string $name good, expired, wronghost, intercept or selfsigned.
	 * @return string
	 */
	public function leaf_dir( string $name ): string {
		return $this->dir . '/' . $name;
	}
}
