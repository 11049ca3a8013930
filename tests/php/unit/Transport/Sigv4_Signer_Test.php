<?php
/**
 * Signature Version 4 against AWS's own published examples.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Aws\Sigv4_Signer;

final class Sigv4_Signer_Test extends TestCase {

	/**
	 * AWS's Signature Version 4 test suite, "get-vanilla": GET / on example.amazonaws.com,
	 * 2015-08-30 12:36:00 UTC, us-east-1, service "service".
	 */
	public function test_the_get_vanilla_vector_of_the_aws_test_suite(): void {
		$signer  = new Sigv4_Signer( 'AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', 'service' );
		$headers = $signer->sign( 'GET', '/', array( 'Host' => 'example.amazonaws.com' ), '', gmmktime( 12, 36, 0, 8, 30, 2015 ) );
		$this->assertSame( '20150830T123600Z', $headers['X-Amz-Date'] );
		$this->assertSame(
			'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
			$headers['Authorization']
		);
	}

	/**
	 * The S3 example of AWS's "Signature Calculations for the Authorization Header" page: GET
	 * /test.txt with a Range header and X-Amz-Content-Sha256, 2013-05-24, us-east-1, s3.
	 */
	public function test_the_s3_get_object_example_of_the_aws_documentation(): void {
		$empty    = hash( 'sha256', '' );
		$headers  = array(
			'Host'                 => 'examplebucket.s3.amazonaws.com',
			'Range'                => 'bytes=0-9',
			'X-Amz-Content-Sha256' => $empty,
			'X-Amz-Date'           => '20130524T000000Z',
		);
		list( $canonical, $signed ) = Sigv4_Signer::canonical_request( 'GET', '/test.txt', $headers, $empty );
		$this->assertSame( 'host;range;x-amz-content-sha256;x-amz-date', $signed );
		$this->assertSame( '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972', hash( 'sha256', $canonical ) );
		$signer = new Sigv4_Signer( 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'us-east-1', 's3' );
		$added  = $signer->sign( 'GET', '/test.txt', array_diff_key( $headers, array( 'X-Amz-Date' => 1 ) ), '', gmmktime( 0, 0, 0, 5, 24, 2013 ), true );
		$this->assertStringEndsWith( 'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41', $added['Authorization'] );
	}

	public function test_the_secret_is_never_printed(): void {
		$signer = new Sigv4_Signer( 'AKID', 'very-secret-value', 'eu-central-1', 'ses' );
		$this->assertStringNotContainsString( 'very-secret-value', print_r( $signer, true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_print_r
	}
}
