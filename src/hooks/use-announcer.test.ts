import { act, renderHook } from '@testing-library/react';

import { useAnnouncer } from './use-announcer';

describe( 'useAnnouncer', () => {
	beforeEach( () => jest.useFakeTimers() );
	afterEach( () => jest.useRealTimers() );

	it( 'empties the live region first, so that a repeated message is heard again', () => {
		const { result } = renderHook( () => useAnnouncer() );
		act( () => result.current.announce( 'Settings saved.' ) );
		expect( result.current.message ).toBe( '' );
		act( () => jest.advanceTimersByTime( 50 ) );
		expect( result.current.message ).toBe( 'Settings saved.' );

		act( () => result.current.announce( 'Settings saved.' ) );
		expect( result.current.message ).toBe( '' );
		act( () => jest.advanceTimersByTime( 50 ) );
		expect( result.current.message ).toBe( 'Settings saved.' );
	} );

	it( 'ends with the last of two quick messages', () => {
		const { result } = renderHook( () => useAnnouncer() );
		act( () => {
			result.current.announce( 'Testing the ports…' );
			result.current.announce( 'Port test finished.' );
		} );
		act( () => jest.advanceTimersByTime( 100 ) );
		expect( result.current.message ).toBe( 'Port test finished.' );
	} );

	it( 'sets nothing after the page is gone', () => {
		const { result, unmount } = renderHook( () => useAnnouncer() );
		act( () => result.current.announce( 'Late' ) );
		unmount();
		expect( jest.getTimerCount() ).toBe( 0 );
	} );
} );
