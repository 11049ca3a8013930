import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

import { bootDataFixture } from './boot-data';

// What only some sites need is a lazy chunk (issue #20): its first import in a test file runs
// babel on the module, which on a busy machine takes longer than findBy*'s default 1 s.
configure( { asyncUtilTimeout: 5000 } );

// jsdom does not implement scrolling; @wordpress/components scrolls notices into view.
window.scrollTo = jest.fn() as unknown as typeof window.scrollTo;

// The settings screen prints its boot data before the script; every test starts from it.
beforeEach( () => {
	window.smtpPortHelper = bootDataFixture();
} );
