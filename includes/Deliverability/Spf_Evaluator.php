<?php
/**
 * SPF's check_host() (RFC 7208 section 4 and 5) for the path the mail takes.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Evaluates a domain's SPF policy for one sender, which is either an IP address (a host the
 * plugin does not know: the addresses it resolves to) or a provider, known by the include its
 * documentation tells customers to publish. For a provider, `include:` of that domain matches as
 * the provider's own record would for its servers, without asking for it; mechanisms that need the
 * sending address (ip4, ip6, a, mx, exists with %{i}) cannot match a provider and are still looked
 * up and counted. Limits: 10 DNS-querying terms, 2 void look-ups, 10 MX hosts (RFC 7208 4.6.4).
 */
final class Spf_Evaluator {

	public const PASS      = 'pass';
	public const FAIL      = 'fail';
	public const SOFTFAIL  = 'softfail';
	public const NEUTRAL   = 'neutral';
	public const NONE      = 'none';
	public const PERMERROR = 'permerror';
	public const TEMPERROR = 'temperror';

	private const LOOKUP_LIMIT = 10;
	private const VOID_LIMIT   = 2;
	private const MX_LIMIT     = 10;

	private const QUALIFIERS = array(
		'+' => self::PASS,
		'-' => self::FAIL,
		'~' => self::SOFTFAIL,
		'?' => self::NEUTRAL,
	);

	/**
	 * DNS.
	 *
	 * @var Record_Source
	 */
	private Record_Source $dns;

	/**
	 * The sending IP address, '' for a provider.
	 *
	 * @var string
	 */
	private string $ip = '';

	/**
	 * The provider's documented include domains (lower case).
	 *
	 * @var string[]
	 */
	private array $includes = array();

	/**
	 * The envelope sender (for the s, l and o macros).
	 *
	 * @var string
	 */
	private string $sender = '';

	/**
	 * Terms that queried DNS so far.
	 *
	 * @var int
	 */
	private int $lookups = 0;

	/**
	 * Void look-ups so far.
	 *
	 * @var int
	 */
	private int $voids = 0;

	/**
	 * What happened, in order, for the explanation.
	 *
	 * @var list<string>
	 */
	private array $trail = array();

	/**
	 * Takes the DNS.
	 *
	 * @param Record_Source $dns DNS.
	 */
	public function __construct( Record_Source $dns ) {
		$this->dns = $dns;
	}

	/**
	 * The SPF result of a domain for mail sent from an IP address.
	 *
	 * @param string $domain Domain (the envelope sender's).
	 * @param string $ip     IPv4 or IPv6 address.
	 * @return array{result: string, lookups: int, voids: int, trail: list<string>, reason: string}
	 */
	public function for_address( string $domain, string $ip ): array {
		return $this->run( $domain, $ip, array() );
	}

	/**
	 * The SPF result of a domain for mail sent by a provider from its own servers.
	 *
	 * @param string   $domain   Domain (the envelope sender's).
	 * @param string[] $includes The provider's documented include domains.
	 * @return array{result: string, lookups: int, voids: int, trail: list<string>, reason: string}
	 */
	public function for_provider( string $domain, array $includes ): array {
		return $this->run( $domain, '', array_map( 'strtolower', $includes ) );
	}

	/**
	 * One evaluation.
	 *
	 * @param string   $domain   Domain.
	 * @param string   $ip       Address or ''.
	 * @param string[] $includes Provider includes.
	 * @return array{result: string, lookups: int, voids: int, trail: list<string>, reason: string}
	 */
	private function run( string $domain, string $ip, array $includes ): array {
		$this->ip       = $ip;
		$this->includes = $includes;
		$this->sender   = 'postmaster@' . strtolower( $domain );
		$this->lookups  = 0;
		$this->voids    = 0;
		$this->trail    = array();
		$outcome        = $this->check_host( strtolower( rtrim( $domain, '.' ) ), 0 );
		return array(
			'result'  => $outcome[0],
			'lookups' => $this->lookups,
			'voids'   => $this->voids,
			'trail'   => $this->trail,
			'reason'  => $outcome[1],
		);
	}

	/**
	 * RFC 7208 check_host().
	 *
	 * @param string $domain Domain.
	 * @param int    $depth  Include/redirect depth (a loop ends at the lookup limit anyway).
	 * @return array{0: string, 1: string} Result and why.
	 */
	private function check_host( string $domain, int $depth ): array {
		$answer = $this->dns->records( $domain, Dns_Packet::TYPE_TXT );
		if ( Record_Source::FAILED === $answer['status'] ) {
			return array( self::TEMPERROR, sprintf( 'the TXT look-up of %s failed', $domain ) );
		}
		$texts = array();
		foreach ( $answer['records'] as $record ) {
			if ( Dns_Packet::TYPE_TXT === $record['type'] && Spf_Record::is_spf( $record['data'] ) ) {
				$texts[] = $record['data'];
			}
		}
		if ( array() === $texts ) {
			return array( self::NONE, sprintf( '%s has no SPF record', $domain ) );
		}
		if ( count( $texts ) > 1 ) {
			return array( self::PERMERROR, sprintf( '%s has %d SPF records; exactly one is allowed', $domain, count( $texts ) ) );
		}
		$record = Spf_Record::parse( $texts[0] );
		if ( is_string( $record ) ) {
			return array( self::PERMERROR, sprintf( 'the SPF record of %s: %s', $domain, $record ) );
		}
		$this->trail[] = $domain . ': ' . $texts[0];
		$this->prefetch( $record, $domain );
		foreach ( $record->mechanisms as $mechanism ) {
			$match = $this->matches( $mechanism, $domain, $depth );
			if ( is_array( $match ) ) {
				return $match;
			}
			if ( $match ) {
				$this->trail[] = sprintf( '%s matched at %s', $mechanism['text'], $domain );
				return array( self::QUALIFIERS[ $mechanism['qualifier'] ], sprintf( '%s in the SPF record of %s', $mechanism['text'], $domain ) );
			}
		}
		if ( '' !== $record->redirect ) {
			$target = Spf_Macro::expand( $record->redirect, $domain, $this->sender, $this->ip );
			if ( null === $target || ! $this->count_lookup() ) {
				return array( self::PERMERROR, null === $target ? 'redirect= needs the sending address' : $this->limit_reason() );
			}
			$result = $this->check_host( $target, $depth + 1 );
			if ( self::NONE === $result[0] ) {
				$this->count_void();
				return array( self::PERMERROR, sprintf( 'redirect=%s: %s', $target, $result[1] ) );
			}
			return $result;
		}
		return array( self::NEUTRAL, sprintf( 'nothing in the SPF record of %s matched, and it has no "all"', $domain ) );
	}

	/**
	 * Whether a mechanism matches; an array is a result that ends the evaluation (an error).
	 *
	 * @param array{qualifier: string, name: string, value: string, cidr4: int, cidr6: int, text: string} $mechanism Mechanism.
	 * @param string                                                                                      $domain    Current domain.
	 * @param int                                                                                         $depth     Depth.
	 * @return bool|array{0: string, 1: string}
	 */
	private function matches( array $mechanism, string $domain, int $depth ) {
		$name = $mechanism['name'];
		if ( 'all' === $name ) {
			return true;
		}
		if ( 'ip4' === $name || 'ip6' === $name ) {
			return '' !== $this->ip && Ip_Network::contains( $this->ip, $mechanism['value'], 'ip4' === $name ? $mechanism['cidr4'] : $mechanism['cidr6'] );
		}
		if ( ! $this->count_lookup() ) {
			return array( self::PERMERROR, $this->limit_reason() );
		}
		$target = '' === $mechanism['value'] ? $domain : Spf_Macro::expand( $mechanism['value'], $domain, $this->sender, $this->ip );
		if ( null === $target ) {
			$this->trail[] = sprintf( '%s depends on the sending address, which is not known for a provider', $mechanism['text'] );
			return false;
		}
		switch ( $name ) {
			case 'include':
				if ( in_array( $target, $this->includes, true ) ) {
					return true;
				}
				$result = $this->check_host( $target, $depth + 1 );
				if ( self::PASS === $result[0] ) {
					return true;
				}
				if ( self::TEMPERROR === $result[0] ) {
					return $result;
				}
				if ( self::PERMERROR === $result[0] || self::NONE === $result[0] ) {
					if ( self::NONE === $result[0] ) {
						$this->count_void();
					}
					return array( self::PERMERROR, sprintf( 'include:%s: %s', $target, $result[1] ) );
				}
				return false;
			case 'a':
				return $this->address_match( $target, $mechanism, true );
			case 'mx':
				$answer = $this->dns->records( $target, Dns_Packet::TYPE_MX );
				if ( Record_Source::FAILED === $answer['status'] ) {
					return array( self::TEMPERROR, sprintf( 'the MX look-up of %s failed', $target ) );
				}
				$hosts = Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_MX );
				if ( array() === $hosts && ! $this->count_void() ) {
					return array( self::PERMERROR, $this->void_reason() );
				}
				if ( count( $hosts ) > self::MX_LIMIT ) {
					return array( self::PERMERROR, sprintf( '%s has more than %d MX hosts', $target, self::MX_LIMIT ) );
				}
				$exchanges = array();
				foreach ( $hosts as $host ) {
					$exchange = (string) substr( $host, (int) strpos( $host, ' ' ) + 1 );
					if ( '.' !== $exchange ) {
						$exchanges[] = $exchange;
					}
				}
				$type = false !== strpos( $this->ip, ':' ) ? Dns_Packet::TYPE_AAAA : Dns_Packet::TYPE_A;
				$this->dns->prefetch(
					array_map(
						static function ( string $exchange ) use ( $type ): array {
							return array( $exchange, $type );
						},
						$exchanges
					)
				);
				foreach ( $exchanges as $exchange ) {
					$match = $this->address_match( $exchange, $mechanism, false );
					if ( false !== $match ) {
						return $match;
					}
				}
				return false;
			case 'exists':
				$answer = $this->dns->records( $target, Dns_Packet::TYPE_A );
				if ( Record_Source::FAILED === $answer['status'] ) {
					return array( self::TEMPERROR, sprintf( 'the A look-up of %s failed', $target ) );
				}
				$found = array() !== Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_A );
				if ( ! $found && ! $this->count_void() ) {
					return array( self::PERMERROR, $this->void_reason() );
				}
				return $found;
		}
		$this->trail[] = sprintf( '%s: "ptr" is not to be used (RFC 7208 5.5) and is not evaluated', $mechanism['text'] );
		return false;
	}

	/**
	 * The a mechanism (or one MX host): the name's addresses of the sender's family against it.
	 *
	 * @param string                                                                                      $name      Name.
	 * @param array{qualifier: string, name: string, value: string, cidr4: int, cidr6: int, text: string} $mechanism Mechanism.
	 * @param bool                                                                                        $counts_void Whether an empty answer is a void look-up.
	 * @return bool|array{0: string, 1: string}
	 */
	private function address_match( string $name, array $mechanism, bool $counts_void ) {
		$six    = false !== strpos( $this->ip, ':' );
		$type   = $six ? Dns_Packet::TYPE_AAAA : Dns_Packet::TYPE_A;
		$answer = $this->dns->records( $name, $type );
		if ( Record_Source::FAILED === $answer['status'] ) {
			return array( self::TEMPERROR, sprintf( 'the address look-up of %s failed', $name ) );
		}
		$addresses = Dns_Data::of_type( $answer['records'], $type );
		if ( array() === $addresses && $counts_void && ! $this->count_void() ) {
			return array( self::PERMERROR, $this->void_reason() );
		}
		if ( '' === $this->ip ) {
			return false;
		}
		foreach ( $addresses as $address ) {
			if ( Ip_Network::contains( $this->ip, $address, $six ? $mechanism['cidr6'] : $mechanism['cidr4'] ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Asks at once for what this record's terms will look up.
	 *
	 * @param Spf_Record $record Record.
	 * @param string     $domain Its domain.
	 */
	private function prefetch( Spf_Record $record, string $domain ): void {
		$questions = array();
		$type      = false !== strpos( $this->ip, ':' ) ? Dns_Packet::TYPE_AAAA : Dns_Packet::TYPE_A;
		$types     = array(
			'include' => Dns_Packet::TYPE_TXT,
			'a'       => $type,
			'mx'      => Dns_Packet::TYPE_MX,
			'exists'  => Dns_Packet::TYPE_A,
		);
		foreach ( $record->mechanisms as $mechanism ) {
			$target = '' === $mechanism['value'] ? $domain : Spf_Macro::expand( $mechanism['value'], $domain, $this->sender, $this->ip );
			if ( isset( $types[ $mechanism['name'] ] ) && null !== $target && ! in_array( $target, $this->includes, true ) ) {
				$questions[] = array( $target, $types[ $mechanism['name'] ] );
			}
		}
		$redirect = '' === $record->redirect ? null : Spf_Macro::expand( $record->redirect, $domain, $this->sender, $this->ip );
		if ( null !== $redirect ) {
			$questions[] = array( $redirect, Dns_Packet::TYPE_TXT );
		}
		$this->dns->prefetch( $questions );
	}

	/**
	 * Counts a DNS-querying term; false past the limit.
	 */
	private function count_lookup(): bool {
		return ++$this->lookups <= self::LOOKUP_LIMIT;
	}

	/**
	 * Counts a void look-up; false past the limit.
	 */
	private function count_void(): bool {
		return ++$this->voids <= self::VOID_LIMIT;
	}

	/**
	 * Why the look-up limit ended it.
	 */
	private function limit_reason(): string {
		return sprintf( 'more than %d DNS-querying terms (include, a, mx, ptr, exists, redirect)', self::LOOKUP_LIMIT );
	}

	/**
	 * Why the void limit ended it.
	 */
	private function void_reason(): string {
		return sprintf( 'more than %d look-ups found no name or no record (void look-ups)', self::VOID_LIMIT );
	}
}
