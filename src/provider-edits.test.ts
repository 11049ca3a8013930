import { findPreset } from './presets';
import { oauthProviderEdits, presetEdits, providerOf } from './provider-edits';

describe( 'provider edits', () => {
	it( 'fills a preset’s host, its fixed user name and the login', () => {
		expect( presetEdits( findPreset( 'sendgrid' )!, '', {} ) ).toEqual( {
			host: 'smtp.sendgrid.net',
			username: 'apikey',
			auth: true,
		} );
		expect(
			presetEdits( findPreset( 'amazon-ses' )!, 'eu-west-1', {} ).host
		).toBe( 'email-smtp.eu-west-1.amazonaws.com' );
	} );

	it( 'leads Microsoft 365 to the OAuth 2.0 sign-in, leaving locked fields alone', () => {
		expect( presetEdits( findPreset( 'microsoft365' )!, '', {} ) ).toEqual(
			{
				host: 'smtp.office365.com',
				auth: true,
				auth_method: 'oauth2',
				oauth_provider: 'microsoft',
			}
		);
		expect(
			presetEdits( findPreset( 'microsoft365' )!, '', {
				host: 'SMTP_PORT_HELPER_HOST',
				auth_method: 'SMTP_PORT_HELPER_AUTH_METHOD',
			} )
		).toEqual( { auth: true, oauth_provider: 'microsoft' } );
	} );

	it( 'gives an OAuth profile its SMTP host only in place of none or another profile’s', () => {
		expect( oauthProviderEdits( 'google', '', {} ) ).toEqual( {
			oauth_provider: 'google',
			host: 'smtp.gmail.com',
		} );
		expect(
			oauthProviderEdits( 'google', 'smtp.office365.com', {} ).host
		).toBe( 'smtp.gmail.com' );
		expect(
			oauthProviderEdits( 'google', 'mail.example.com', {} )
		).toEqual( { oauth_provider: 'google' } );
	} );

	it( 'finds the provider of a saved host, with its region', () => {
		expect( providerOf( 'email-smtp.ap-south-1.amazonaws.com' ) ).toEqual( {
			presetId: 'amazon-ses',
			region: 'ap-south-1',
		} );
		expect( providerOf( 'mail.example.com' ) ).toEqual( {
			presetId: 'other',
			region: '',
		} );
	} );
} );
