/**
 * The authorization server's sign-in and consent pages: plain HTML forms a browser test fills in
 * (labels "E-mail address", "Password", buttons "Sign in", "Allow", "Cancel") and the token helper
 * (env/oauth/token.js) posts to directly.
 */

/**
 * @param {*} value Text.
 * @return {string} The text, safe in HTML.
 */
const escape = ( value ) =>
	String( value ).replace( /[<>&"']/g, ( c ) => `&#${ c.charCodeAt( 0 ) };` );

/**
 * @param {string} title Page title.
 * @param {string} body  HTML of the body (already escaped).
 * @return {string} The page.
 */
function page( title, body ) {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${ escape( title ) } – Local OAuth test server</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;margin:.4rem 0;font-size:1rem}input{width:100%;padding:.4rem}
button{padding:.5rem 1rem}.error{color:#b00}</style></head>
<body><p>Local OAuth test server</p>${ body }</body></html>`;
}

/**
 * @param {string} uid    Interaction id.
 * @param {Object} params The authorization request's parameters.
 * @param {string} error  Message of a failed attempt, or ''.
 * @param {string} email  The address typed in a failed attempt (kept in the field), or ''.
 * @return {string} The sign-in page.
 */
function loginForm( uid, params, error, email = '' ) {
	return page(
		'Sign in',
		`<h1>Sign in</h1>
<p>to continue to <strong>${ escape( params.client_id ) }</strong></p>
${ error ? `<p class="error" role="alert" id="error">${ escape( error ) }</p>` : '' }
<form method="post" action="/interaction/${ escape( uid ) }/login" autocomplete="off">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" value="${ escape( email || params.login_hint || '' ) }" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit" id="sign-in">Sign in</button>
</form>
<form method="post" action="/interaction/${ escape( uid ) }/abort"><button type="submit" id="cancel">Cancel</button></form>`
	);
}

/**
 * @param {string} uid    Interaction id.
 * @param {Object} params The authorization request's parameters.
 * @return {string} The consent page.
 */
function consentForm( uid, params ) {
	const scopes = String( params.scope || '' )
		.split( ' ' )
		.filter( Boolean )
		.map( ( scope ) => `<li>${ escape( scope ) }</li>` )
		.join( '' );
	return page(
		'Permissions requested',
		`<h1>Permissions requested</h1>
<p><strong>${ escape( params.client_id ) }</strong> asks to:</p>
<ul id="scopes">${ scopes }</ul>
<form method="post" action="/interaction/${ escape( uid ) }/confirm"><button type="submit" id="allow">Allow</button></form>
<form method="post" action="/interaction/${ escape( uid ) }/abort"><button type="submit" id="cancel">Cancel</button></form>`
	);
}

module.exports = { page, loginForm, consentForm };
