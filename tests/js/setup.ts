import '@testing-library/jest-dom';

// jsdom does not implement scrolling; @wordpress/components scrolls notices into view.
window.scrollTo = jest.fn() as unknown as typeof window.scrollTo;
