<?php
/**
 * The sites of this network, for work that touches each one (re-keying, deactivation, released mail).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Outside multisite the one site is the current one. On a network the ids are read 100 at a
 * time, so a network of thousands of sites is never loaded at once.
 */
final class Network_Sites {

	private const BATCH = 100;

	/**
	 * The ids of this network's sites (the current site's alone outside multisite).
	 *
	 * @return \Generator<int>
	 */
	public static function ids(): \Generator {
		if ( ! is_multisite() ) {
			yield get_current_blog_id();
			return;
		}
		$offset = 0;
		do {
			$batch = get_sites(
				array(
					'fields'     => 'ids',
					'network_id' => get_current_network_id(),
					'number'     => self::BATCH,
					'offset'     => $offset,
					'orderby'    => 'id',
				)
			);
			foreach ( $batch as $site_id ) {
				yield (int) $site_id;
			}
			$offset += self::BATCH;
			$full    = self::BATCH === count( $batch );
		} while ( $full );
	}

	/**
	 * Runs a job on every site, switched to it (and back, whatever the job throws).
	 *
	 * @template T
	 * @param callable(int): T $job Gets the site id.
	 * @return array<int, T> What the job returned, by site id.
	 */
	public static function each( callable $job ): array {
		$results = array();
		foreach ( self::ids() as $site_id ) {
			if ( is_multisite() ) {
				switch_to_blog( $site_id );
			}
			try {
				$results[ $site_id ] = $job( $site_id );
			} finally {
				if ( is_multisite() ) {
					restore_current_blog();
				}
			}
		}
		return $results;
	}
}
