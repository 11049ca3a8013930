/**
 * oidc-provider's storage, in memory (the server is started fresh for each test run): its
 * adapter interface plus one thing the library's own memory adapter cannot do — find every grant of
 * an account, so a test can withdraw the account's consent as an administrator would.
 */

/**
 * @return {{Adapter: Function, revokeAccount: Function, revokeAccessTokens: Function}} The adapter
 *         class for oidc-provider's `adapter` setting, revokeAccount( accountId ) → number of grants
 *         removed, revokeAccessTokens( accountId ) → number of access tokens made inactive.
 */
function createAdapter() {
	const store = new Map(); // "Model:id" → { payload, expiresAt }
	const byGrant = new Map(); // grantId → Set of "Model:id"

	const alive = ( key ) => {
		const entry = store.get( key );
		if ( ! entry ) {
			return undefined;
		}
		if ( entry.expiresAt && entry.expiresAt <= Date.now() ) {
			store.delete( key );
			return undefined;
		}
		return entry.payload;
	};

	const forgetGrant = ( grantId ) => {
		for ( const key of byGrant.get( grantId ) || [] ) {
			store.delete( key );
		}
		byGrant.delete( grantId );
		store.delete( `Grant:${ grantId }` );
	};

	class Adapter {
		constructor( name ) {
			this.name = name;
		}

		key( id ) {
			return `${ this.name }:${ id }`;
		}

		async upsert( id, payload, expiresIn ) {
			const key = this.key( id );
			store.set( key, {
				payload,
				expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0,
			} );
			if ( payload.grantId ) {
				if ( ! byGrant.has( payload.grantId ) ) {
					byGrant.set( payload.grantId, new Set() );
				}
				byGrant.get( payload.grantId ).add( key );
			}
		}

		async find( id ) {
			return alive( this.key( id ) );
		}

		async findByUid( uid ) {
			for ( const [ key ] of store ) {
				const payload =
					key.startsWith( `${ this.name }:` ) && alive( key );
				if ( payload && payload.uid === uid ) {
					return payload;
				}
			}
			return undefined;
		}

		async findByUserCode( userCode ) {
			for ( const [ key ] of store ) {
				const payload =
					key.startsWith( `${ this.name }:` ) && alive( key );
				if ( payload && payload.userCode === userCode ) {
					return payload;
				}
			}
			return undefined;
		}

		async consume( id ) {
			const payload = alive( this.key( id ) );
			if ( payload ) {
				payload.consumed = Math.floor( Date.now() / 1000 );
			}
		}

		async destroy( id ) {
			store.delete( this.key( id ) );
		}

		async revokeByGrantId( grantId ) {
			forgetGrant( grantId );
		}
	}

	async function revokeAccount( accountId ) {
		let revoked = 0;
		for ( const [ key ] of [ ...store ] ) {
			const payload = key.startsWith( 'Grant:' ) && alive( key );
			if ( payload && payload.accountId === accountId ) {
				forgetGrant( key.slice( 'Grant:'.length ) );
				revoked++;
			}
		}
		// The browser session too, so the next sign-in asks for the password and consent again.
		for ( const [ key ] of [ ...store ] ) {
			const payload = key.startsWith( 'Session:' ) && alive( key );
			if ( payload && payload.accountId === accountId ) {
				store.delete( key );
			}
		}
		return revoked;
	}

	/**
	 * Makes every access token of the account inactive while its grants and refresh tokens stay:
	 * what a provider does early (sessions revoked, continuous access evaluation).
	 *
	 * @param {string} accountId Account.
	 * @return {number} Access tokens removed.
	 */
	function revokeAccessTokens( accountId ) {
		let revoked = 0;
		for ( const [ key ] of [ ...store ] ) {
			const payload = key.startsWith( 'AccessToken:' ) && alive( key );
			if ( payload && payload.accountId === accountId ) {
				store.delete( key );
				revoked++;
			}
		}
		return revoked;
	}

	return { Adapter, revokeAccount, revokeAccessTokens };
}

module.exports = { createAdapter };
