import { settingsFixture } from '../tests/js/fixtures';
import { changes, isDirty, parsePorts, toForm, validate } from './form';

describe( 'form', () => {
	const saved = settingsFixture( { fallback_ports: [ 2525, 465 ] } );

	it( 'has no changes right after loading', () => {
		const form = toForm( saved );
		expect( form.fallback_ports ).toBe( '2525, 465' );
		expect( changes( form, saved ) ).toEqual( {} );
		expect( isDirty( form, saved ) ).toBe( false );
	} );

	it( 'sends only changed fields, numbers as numbers and bad input as typed', () => {
		const form = {
			...toForm( saved ),
			host: ' smtp.new.test ',
			port: '465',
			timeout: 'ten',
			fallback_ports: '465,2525',
			force_from_email: true,
		};
		expect( changes( form, saved ) ).toEqual( {
			host: 'smtp.new.test',
			port: 465,
			timeout: 'ten',
			fallback_ports: [ 465, 2525 ],
			force_from_email: true,
		} );
	} );

	it( 'sends a typed password, or the removal of the saved one', () => {
		const form = toForm( saved );
		expect( changes( { ...form, password: 's3cret' }, saved ) ).toEqual( {
			password: 's3cret',
		} );
		expect( changes( { ...form, clear_password: true }, saved ) ).toEqual( {
			clear_password: true,
		} );
	} );

	it( 'sends switching off the self-check’s port switch', () => {
		const form = toForm( saved );
		expect( form.self_heal ).toBe( true );
		expect( changes( { ...form, self_heal: false }, saved ) ).toEqual( {
			self_heal: false,
		} );
	} );

	it( 'parses port lists', () => {
		expect( parsePorts( '2525, 465 587' ) ).toEqual( [ 2525, 465, 587 ] );
		expect( parsePorts( '' ) ).toEqual( [] );
		expect( parsePorts( '25x' ) ).toBeNull();
		expect(
			isDirty( { ...toForm( saved ), fallback_ports: 'x' }, saved )
		).toBe( true );
	} );

	it( 'finds fallback ports that are not numbers before the server does', () => {
		expect( validate( toForm( saved ) ) ).toEqual( {} );
		expect(
			validate( { ...toForm( saved ), fallback_ports: '2525, x' } )
		).toEqual( {
			fallback_ports:
				'Enter port numbers separated by commas, for example 2525, 465.',
		} );
	} );
} );
