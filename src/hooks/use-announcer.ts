import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/** How long the live region stays empty, so that a repeated message is announced again. */
const CLEAR_MS = 50;

/**
 * Messages for a polite live region: render `message` in an element with role="status", and call
 * `announce()` with what a screen reader should hear.
 */
export function useAnnouncer() {
	const [ message, setMessage ] = useState( '' );
	const timer = useRef< number | undefined >( undefined );

	const announce = useCallback( ( text: string ) => {
		setMessage( '' );
		window.clearTimeout( timer.current );
		timer.current = window.setTimeout( () => setMessage( text ), CLEAR_MS );
	}, [] );

	useEffect( () => () => window.clearTimeout( timer.current ), [] );

	return { message, announce };
}
