<?php
/**
 * The site's own DKIM key as the world may see it: domain, selector, public key.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The public half of a key pair the site generated (Dkim_Key_Store keeps the private half sealed):
 * the TXT record to publish at `<selector>._domainkey.<domain>`, and whether a published record
 * holds this key.
 */
final class Dkim_Key {

	/** Selectors the plugin chooses start with this, so a person can tell them from a provider's. */
	public const SELECTOR_PREFIX = 'sph';

	/**
	 * The signing domain (d=).
	 *
	 * @var string
	 */
	public string $domain;

	/**
	 * The selector (s=).
	 *
	 * @var string
	 */
	public string $selector;

	/**
	 * The key type: rsa.
	 *
	 * @var string
	 */
	public string $key_type;

	/**
	 * Key length in bits.
	 *
	 * @var int
	 */
	public int $bits;

	/**
	 * The public key, base64 of its DER SubjectPublicKeyInfo (the p= of the record).
	 *
	 * @var string
	 */
	public string $public_key;

	/**
	 * When it was generated (Unix time).
	 *
	 * @var int
	 */
	public int $created;

	/**
	 * Takes the parts.
	 *
	 * @param string $domain     Signing domain, ASCII, lower case.
	 * @param string $selector   Selector.
	 * @param string $key_type   Key type.
	 * @param int    $bits       Bits.
	 * @param string $public_key Base64 public key.
	 * @param int    $created    Unix time.
	 */
	public function __construct( string $domain, string $selector, string $key_type, int $bits, string $public_key, int $created ) {
		$this->domain     = $domain;
		$this->selector   = $selector;
		$this->key_type   = $key_type;
		$this->bits       = $bits;
		$this->public_key = $public_key;
		$this->created    = $created;
	}

	/**
	 * A new selector: the prefix, the date and four random hex digits (a rotation on the same day
	 * gets another name, so the old record can stay published while mail signed with it travels).
	 *
	 * @param int $now Unix time.
	 */
	public static function new_selector( int $now ): string {
		return self::SELECTOR_PREFIX . gmdate( 'Ymd', $now ) . '-' . bin2hex( random_bytes( 2 ) );
	}

	/**
	 * The DNS name of the record.
	 */
	public function record_name(): string {
		return $this->selector . '._domainkey.' . $this->domain;
	}

	/**
	 * The TXT value to publish.
	 */
	public function record_value(): string {
		return 'v=DKIM1; k=' . $this->key_type . '; p=' . $this->public_key;
	}

	/**
	 * The record to publish.
	 *
	 * @return array{type: string, name: string, value: string}
	 */
	public function record(): array {
		return Finding::record( 'TXT', $this->record_name(), $this->record_value() );
	}

	/**
	 * Whether the key may sign mail from a From domain: the same domain or one under it (DMARC's
	 * relaxed alignment then holds; a parent or a sibling domain would need another key).
	 *
	 * @param string $from_domain From domain.
	 */
	public function signs_for( string $from_domain ): bool {
		$from_domain = strtolower( rtrim( $from_domain, '.' ) );
		return $from_domain === $this->domain || substr( $from_domain, -strlen( '.' . $this->domain ) ) === '.' . $this->domain;
	}

	/**
	 * Whether a published TXT value holds this key (the same key type and p=, spaces and the
	 * string boundaries of a long TXT record aside).
	 *
	 * @param string $published TXT data.
	 */
	public function matches( string $published ): bool {
		$record = Dkim_Key_Record::parse( $published );
		if ( is_string( $record ) || $record->revoked || $record->key_type !== $this->key_type ) {
			return false;
		}
		return Dkim_Key_Record::key_of( $published ) === $this->public_key;
	}

	/**
	 * What REST and WP-CLI show (never the private key).
	 *
	 * @return array{domain: string, selector: string, key_type: string, bits: int, created: string, record: array{type: string, name: string, value: string}}
	 */
	public function to_array(): array {
		return array(
			'domain'   => $this->domain,
			'selector' => $this->selector,
			'key_type' => $this->key_type,
			'bits'     => $this->bits,
			'created'  => gmdate( 'c', $this->created ),
			'record'   => $this->record(),
		);
	}
}
