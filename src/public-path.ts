/**
 * Where the lazy chunks load from: the folder of this very script (build/). WordPress prints it as
 * a plain <script src>, so document.currentScript names it while it first runs, before any chunk
 * is asked for. Imported first by index.tsx; webpack.config.js leaves the public path empty.
 */
/* eslint-disable camelcase, @typescript-eslint/no-unused-vars -- webpack's own variable, read by its runtime */
declare let __webpack_public_path__: string;

const script = document.currentScript;
if ( script instanceof HTMLScriptElement && script.src ) {
	__webpack_public_path__ = script.src
		.replace( /[?#].*$/, '' )
		.replace( /[^/]*$/, '' );
}
