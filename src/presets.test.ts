import {
	presets,
	editDistance,
	findPreset,
	presetHostNear,
	portsToTest,
	presetForHost,
	presetHost,
} from './presets';
import type { Preset } from './presets';
import { bootDataFixture } from '../tests/js/boot-data';
import generated from './generated/rest-schemas.json';

describe( 'presets', () => {
	it( 'has unique ids, names and hosts', () => {
		const ids = presets().map( ( preset ) => preset.id );
		expect( new Set( ids ).size ).toBe( ids.length );
		const names = presets().map( ( preset ) => preset.name );
		expect( new Set( names ).size ).toBe( names.length );
		const hosts = presets().map( ( preset ) => preset.host );
		expect( new Set( hosts ).size ).toBe( hosts.length );
	} );

	it.each(
		( generated.bootData.presets as Preset[] ).map( ( preset ) => [
			preset.id,
			preset,
		] )
	)( '%s is consistent', ( _id, preset ) => {
		expect( preset.host ).toMatch( /^[a-z0-9.-]+\.[a-z]{2,}$/ );
		expect( preset.docs ).toMatch( /^https:\/\// );
		expect( new Set( preset.ports ).size ).toBe( preset.ports.length );
		expect( new Set( preset.alternates ).size ).toBe(
			preset.alternates.length
		);
		// Alternates are the provider's own extra ports, documented by it.
		for ( const port of preset.alternates ) {
			expect( [ 25, 465, 587 ] ).not.toContain( port );
			expect( preset.ports ).toContain( port );
		}
		for ( const port of preset.ports ) {
			expect( Number.isInteger( port ) && port > 0 && port < 65536 ).toBe(
				true
			);
		}
		const tested = portsToTest( preset );
		expect( tested.length ).toBeLessThanOrEqual(
			bootDataFixture().ports.maxPerTest
		);
		expect( new Set( tested ).size ).toBe( tested.length );
		expect( tested[ 0 ] ).toBe( 587 );
		expect( tested[ tested.length - 1 ] ).toBe( 25 );
	} );

	it( 'offers 587 first wherever the provider documents it', () => {
		for ( const preset of presets() ) {
			expect( preset.ports[ 0 ] ).toBe( 587 );
		}
	} );

	it( 'never offers 2525 for Amazon SES, which uses 2587 and 2465', () => {
		const ses = findPreset( 'amazon-ses' )!;
		expect( ses.ports ).not.toContain( 2525 );
		expect( ses.alternates ).toEqual( [ 2587, 2465 ] );
		expect( portsToTest( ses ) ).toEqual( [ 587, 2587, 2465, 465, 25 ] );
		expect( presetHost( ses, 'eu-west-1' ) ).toBe(
			'email-smtp.eu-west-1.amazonaws.com'
		);
		expect( ses.regions ).toContain( ses.defaultRegion );
	} );

	it( 'tests 587, 2525, 465 and 25 for another host', () => {
		expect( portsToTest() ).toEqual( [ 587, 2525, 465, 25 ] );
		expect( portsToTest( findPreset( 'google' ) ) ).toEqual( [
			587, 465, 25,
		] );
	} );

	it( 'keeps 25 last and at most six ports for SMTP2GO', () => {
		expect( portsToTest( findPreset( 'smtp2go' ) ) ).toEqual( [
			587, 2525, 8025, 8465, 465, 25,
		] );
	} );

	it( 'recognises a saved host', () => {
		expect( presetForHost( 'SMTP.sendgrid.net ' )?.preset.id ).toBe(
			'sendgrid'
		);
		expect(
			presetForHost( 'email-smtp.ap-south-1.amazonaws.com' )
		).toMatchObject( {
			preset: { id: 'amazon-ses' },
			region: 'ap-south-1',
		} );
		expect( presetForHost( '127.0.0.1' ) ).toBeUndefined();
	} );

	it( 'tests for another host what the PHP side tests by default', () => {
		expect( portsToTest() ).toEqual(
			generated.schemas.PortTestRequest.properties.ports.default
		);
	} );

	it( 'takes the ports and the limit from the boot data', () => {
		window.smtpPortHelper = bootDataFixture( {
			ports: {
				submission: 1587,
				implicitTls: 1465,
				relay: 1025,
				defaultAlternate: 3525,
				maxPerTest: 3,
			},
		} );
		expect( portsToTest() ).toEqual( [ 1587, 3525, 1025 ] );
	} );
} );

describe( 'presetHostNear', () => {
	it( 'suggests the preset host one or two typos away', () => {
		expect( presetHostNear( 'smtp.gmial.com' )?.host ).toBe(
			'smtp.gmail.com'
		);
		expect( presetHostNear( 'SMTP.GMAIL.CO' )?.host ).toBe(
			'smtp.gmail.com'
		);
		expect( presetHostNear( 'smtp.sendgird.ent' )?.host ).toBe(
			'smtp.sendgrid.net'
		);
	} );

	it( 'suggests nothing for a preset host itself or a host far from every preset', () => {
		expect( presetHostNear( 'smtp.gmail.com' ) ).toBeUndefined();
		expect( presetHostNear( 'mail.example.org' ) ).toBeUndefined();
		expect( presetHostNear( '' ) ).toBeUndefined();
	} );

	it( 'counts a swap of neighbours as one edit', () => {
		expect( editDistance( 'gmial', 'gmail' ) ).toBe( 1 );
		expect( editDistance( 'abc', 'abc' ) ).toBe( 0 );
		expect( editDistance( '', 'abc' ) ).toBe( 3 );
	} );
} );
