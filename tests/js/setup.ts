import '@testing-library/jest-dom';

import { bootDataFixture } from './boot-data';

// jsdom does not implement scrolling; @wordpress/components scrolls notices into view.
window.scrollTo = jest.fn() as unknown as typeof window.scrollTo;

// The settings screen prints its boot data before the script; every test starts from it.
beforeEach( () => {
	window.smtpPortHelper = bootDataFixture();
} );
