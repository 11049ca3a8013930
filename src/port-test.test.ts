import { toForm } from './form';
import {
	missingPassword,
	saveForgetsPassword,
	staleReasons,
} from './port-test';
import { settingsFixture } from '../tests/js/fixtures';

const tested = {
	host: 'smtp.example.com',
	ports: [ 587, 2525, 465, 25 ],
	login: { username: 'bob', password: 'pw' },
};

describe( 'staleReasons', () => {
	it( 'is empty while host (any case, trailing dot), ports and login are the tested ones', () => {
		expect(
			staleReasons( tested, { ...tested, host: ' SMTP.example.com. ' } )
		).toEqual( [] );
	} );

	it( 'names each change: host, ports (another provider), login on/off, user, password', () => {
		expect(
			staleReasons( tested, { ...tested, host: 'smtp.other.test' } )
		).toEqual( [ 'host' ] );
		expect(
			staleReasons( tested, { ...tested, ports: [ 587, 465, 25 ] } )
		).toEqual( [ 'ports' ] );
		expect( staleReasons( tested, { ...tested, login: null } ) ).toEqual( [
			'login',
		] );
		expect(
			staleReasons( tested, {
				...tested,
				login: { username: 'alice', password: 'pw' },
			} )
		).toEqual( [ 'login' ] );
		expect(
			staleReasons( tested, {
				...tested,
				login: { username: 'bob', password: 'other' },
			} )
		).toEqual( [ 'login' ] );
	} );
} );

describe( 'the saved password', () => {
	const record = settingsFixture( {
		host: 'smtp.example.com',
		username: 'bob',
		password_set: true,
	} );

	it( 'is used for its own host and user name without asking', () => {
		expect( missingPassword( toForm( record ), record ) ).toBeNull();
		expect( saveForgetsPassword( toForm( record ), record ) ).toBe( false );
	} );

	it( 'is not sent to another host: the page asks for the password first and says why', () => {
		const form = { ...toForm( record ), host: 'smtp.other.test' };
		expect( missingPassword( form, record ) ).toBe(
			'Enter the password to test the ports with this login: the saved password is only sent to smtp.example.com as bob.'
		);
		expect( saveForgetsPassword( form, record ) ).toBe( true );
		expect(
			missingPassword( { ...form, password: 'typed' }, record )
		).toBeNull();
		expect(
			saveForgetsPassword( { ...form, password: 'typed' }, record )
		).toBe( false );
	} );

	it( 'is not sent as another user name', () => {
		const form = { ...toForm( record ), username: 'alice' };
		expect( missingPassword( form, record ) ).toMatch(
			/only sent to smtp\.example\.com as bob/
		);
	} );

	it( 'cannot be used when none is saved, or it is marked for removal', () => {
		const none = settingsFixture( { username: 'bob' } );
		expect( missingPassword( toForm( none ), none ) ).toMatch(
			/no password is saved/
		);
		expect(
			missingPassword(
				{ ...toForm( record ), clear_password: true },
				record
			)
		).toMatch( /no password is saved/ );
	} );

	it( 'does not matter without a login', () => {
		const form = { ...toForm( record ), host: 'x.test', auth: false };
		expect( missingPassword( form, record ) ).toBeNull();
	} );
} );
