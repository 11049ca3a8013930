/**
 * Provider presets: the provider's own SMTP host name and the ports it documents. The rows come
 * from the PHP side (Providers\Provider_Table, boot data `presets`), each with the documentation
 * page it was taken from; this module keeps only the rules the page applies to them.
 */
import { bootData } from './boot';
import type { Preset, PresetWarning } from './types';

export type { Preset };

/** Every provider the page offers, in order. */
export function presets(): Preset[] {
	return bootData().presets;
}

/** The "Other host" choice: the user types the host; the usual alternate port is tried. */
export const OTHER = 'other';

/**
 * What the page says before any test when a preset is chosen: the provider's login policy with
 * its date and the way out. The PHP side owns the text (Provider_Login_Policy, docs/facts.md)
 * and hands it over in the boot data.
 * @param id Preset id.
 */
export function presetWarning( id: string ): PresetWarning | undefined {
	return bootData().presetWarnings?.[ id ];
}

export function findPreset( id: string ): Preset | undefined {
	return presets().find( ( preset ) => preset.id === id );
}

/**
 * The preset whose host (or, for SES, host pattern) matches, to preselect it on load.
 */
export function presetForHost(
	host: string
): { preset: Preset; region?: string } | undefined {
	const name = host.trim().toLowerCase();
	for ( const preset of presets() ) {
		if ( preset.host === name ) {
			return { preset };
		}
		const region = regionOfHost( preset, name );
		if ( region !== undefined ) {
			return { preset, region };
		}
	}
	return undefined;
}

/**
 * The region a regional preset's host names ("email-smtp.eu-west-1.amazonaws.com" → "eu-west-1").
 *
 * @param preset A preset.
 * @param name   A host name, lower case.
 */
function regionOfHost( preset: Preset, name: string ): string | undefined {
	const parts = preset.hostPattern.split( '{region}' );
	if ( parts.length !== 2 ) {
		return undefined;
	}
	const [ before, after ] = parts;
	const region =
		name.startsWith( before ) && name.endsWith( after )
			? name.slice( before.length, name.length - after.length )
			: '';
	// A region the table does not list yet still names this provider.
	return /^[a-z0-9-]+$/.test( region ) ? region : undefined;
}

/**
 * The host of a preset in a region (only regional presets, such as Amazon SES, have regions).
 *
 * @param preset A preset.
 * @param region The region chosen, if any.
 */
export function presetHost( preset: Preset, region?: string ): string {
	return preset.regions.length > 0 && region
		? preset.hostPattern.replace( '{region}', region )
		: preset.host;
}

/**
 * Ports for the test: submission (587), the provider's alternates (the usual alternate, 2525, for
 * another host), implicit TLS (465) and relay (25), without duplicates, at most the PHP side's
 * limit per test. Relay is always tested last, to show whether it is blocked. The port numbers
 * and the limit come from the boot data (Submission_Ports::for_page()).
 */
export function portsToTest( preset?: Preset ): number[] {
	const { submission, implicitTls, relay, defaultAlternate, maxPerTest } =
		bootData().ports;
	const alternates = preset ? preset.alternates : [ defaultAlternate ];
	const ports = [ submission, ...alternates, implicitTls, relay ];
	const unique = ports.filter(
		( port, index ) => ports.indexOf( port ) === index
	);
	if ( unique.length <= maxPerTest ) {
		return unique;
	}
	// Keep relay last; drop the provider's least preferred alternates.
	return [
		...unique
			.filter( ( port ) => port !== relay )
			.slice( 0, maxPerTest - 1 ),
		relay,
	];
}

/**
 * The number of single-character edits (insert, delete, replace, swap of neighbours) between two
 * strings: "gmial" is one swap away from "gmail".
 */
export function editDistance( one: string, other: string ): number {
	const rows = one.length + 1;
	const cols = other.length + 1;
	// d[ i ][ j ]: the distance between the first i characters of one and the first j of other.
	const d: number[][] = Array.from( { length: rows }, ( _, i ) =>
		Array.from(
			{ length: cols },
			( __, j ) => Math.max( i, j ) * ( i === 0 || j === 0 ? 1 : 0 )
		)
	);
	for ( let i = 1; i < rows; i++ ) {
		for ( let j = 1; j < cols; j++ ) {
			const cost = one[ i - 1 ] === other[ j - 1 ] ? 0 : 1;
			d[ i ][ j ] = Math.min(
				d[ i - 1 ][ j ] + 1,
				d[ i ][ j - 1 ] + 1,
				d[ i - 1 ][ j - 1 ] + cost
			);
			if (
				i > 1 &&
				j > 1 &&
				one[ i - 1 ] === other[ j - 2 ] &&
				one[ i - 2 ] === other[ j - 1 ]
			) {
				d[ i ][ j ] = Math.min( d[ i ][ j ], d[ i - 2 ][ j - 2 ] + 1 );
			}
		}
	}
	return d[ rows - 1 ][ cols - 1 ];
}

/**
 * The preset whose host a mistyped host name most likely meant: one or two typos away, and not
 * the host itself. For "did you mean smtp.gmail.com?" after a failed name lookup.
 */
export function presetHostNear(
	host: string
): { preset: Preset; host: string } | undefined {
	const name = host.trim().toLowerCase().replace( /\.$/, '' );
	if ( name === '' || presetForHost( name ) ) {
		return undefined;
	}
	let best: { preset: Preset; host: string; distance: number } | undefined;
	for ( const preset of presets() ) {
		const distance = editDistance( name, preset.host );
		if ( distance <= 2 && ( ! best || distance < best.distance ) ) {
			best = { preset, host: preset.host, distance };
		}
	}
	return best ? { preset: best.preset, host: best.host } : undefined;
}
