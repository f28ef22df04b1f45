/** The VenueRequestError a venue request failed with; fails the test when it resolved or failed otherwise. */
import { VenueRequestError } from '../../../fargate/execution/execution-outcome.ts';

export async function venueRefusal(request: Promise<unknown>): Promise<VenueRequestError> {
  try {
    await request;
  } catch (error) {
    if (error instanceof VenueRequestError) return error;
    throw error;
  }
  throw new Error('expected the venue to refuse the request');
}
