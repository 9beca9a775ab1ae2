export { appointmentRoutes } from './routes/appointment-routes.js';
export { joinRoutes } from './routes/join-routes.js';
export { participantAuthentication } from './participant-auth.js';
export { bookAppointment } from './appointments.js';
export { appointment as appointmentTable } from './schema.js';
export { appointmentsOfPatient } from './appointment-lookup.js';
export { signalRoutes } from './routes/signal-route.js';
export { chatRoutes } from './routes/chat-routes.js';
export type { RoomAccess } from './room/connection.js';
